/* memtop's bridge to zlib (zlib1g-dev): trace-cmd can write version 7 trace.dat files with zlib
   (compress2/uncompress streams) instead of zstd. Only the one-shot uncompress() is used. */
#include <zlib.h>
