#!/usr/bin/env bash
# Headless replay of a 1.37M-line real trace (the shared 6.1 capture repeated) against mawk's field
# splitting of the same file, in one run. Prints wall times and memtop's peak RSS.
# Usage: Benchmarks/replay-vs-mawk.sh   (from the repository root; builds memtop in release)
set -euo pipefail
cd "$(dirname "$0")/.."
capture=../shared/traces/real/qemu-6.1.0-56-amd64-boot.trace.txt.xz
big=${TMPDIR:-/tmp}/memtop-trace-1.37M.txt
if [ ! -s "$big" ]; then
    xz -dc "$capture" > "$big.one"
    head -12 "$big.one" > "$big"
    for _ in $(seq 1 10); do tail -n +13 "$big.one" >> "$big"; done
    head -n 1370000 "$big" > "$big.tmp" && mv "$big.tmp" "$big"
    rm -f "$big.one"
fi
echo "trace: $(wc -l < "$big") lines, $(du -h "$big" | cut -f1)"
swift build -c release --product memtop >/dev/null
t0=$(date +%s.%N)
mawk '{n+=NF} END{print "mawk fields:", n}' "$big"
t1=$(date +%s.%N)
/usr/bin/time -f "memtop peak RSS: %M KiB" ./.build/release/memtop replay "$big" --kernel 6.1 --dump buddyinfo > /dev/null
t2=$(date +%s.%N)
echo "mawk:   $(echo "$t1 - $t0" | bc) s"
echo "memtop: $(echo "$t2 - $t1" | bc) s"
