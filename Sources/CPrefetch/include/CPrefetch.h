#ifndef MEMTOP_CPREFETCH_H
#define MEMTOP_CPREFETCH_H

/// Asks the CPU to bring the cache line at `address` in for writing, without waiting for it.
/// Swift has no prefetch of its own; the replay uses this to overlap the cache misses of the
/// pointer map for lines it will apply a few lines later.
static inline void memtop_prefetch(const void *address) {
    __builtin_prefetch(address, 1, 3);
}

#endif
