/* memtop's bridge to libzstd (libzstd-dev): trace-cmd's version 7 trace.dat compresses its sections
   and ring-buffer chunks with zstd frames. Only the one-shot decompression API is used. */
#include <zstd.h>
