#ifndef MEMTOP_CMAPGUARD_H
#define MEMTOP_CMAPGUARD_H

#include <stddef.h>

/// Keeps a read of a mapped file that was truncated under memtop from killing it: the kernel
/// raises SIGBUS for a page past the file's new end, and the handler maps a page of zeros there
/// instead and notes the fault, which the reader then reports as an error.
///
/// Registers the mapping `[base, base + size)` and installs the handler; returns its slot, or -1
/// when all slots are taken (that mapping is then unguarded).
int memtop_map_guard_add(const void *base, size_t size);

/// Forgets the mapping in `slot` (before it is unmapped). A slot of -1 is ignored.
void memtop_map_guard_remove(int slot);

/// Whether a read of the mapping in `slot` found a page past the file's end since it was added.
int memtop_map_guard_faulted(int slot);

/// Installs the SIGBUS handler unless it is installed, chaining to the handler it replaces (so
/// another part of memtop that installs its own may call this again afterwards).
void memtop_map_guard_install(void);

#endif
