#!/usr/bin/env bash
# Issue 12's speed target: a headless replay of each shared capture bundle (plain-text trace)
# against mawk '{n+=NF}' over the same trace. The two run in turns, N rounds each, so that a busy
# or throttled machine slows both alike; prints each one's wall times sorted, the median of the
# per-round ratios (mawk / memtop; the target is >= 1.5) and memtop's peak RSS (target < 400 MiB).
# Usage: Benchmarks/bundle-replay-vs-mawk.sh [ROUNDS]   (from the repository root; builds memtop in release)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-9}
work=${TMPDIR:-/tmp}/memtop-bundles
swift build -c release --product memtop >/dev/null
memtop=$PWD/.build/release/memtop
for bundle in ../shared/traces/bundles/*/; do
    name=$(basename "$bundle")
    dir=$work/$name
    # The bundle with its trace decompressed (mawk reads the text; memtop reads the same file).
    if [ ! -s "$dir/trace.txt" ]; then
        mkdir -p "$dir"
        cp -r "$bundle/start" "$bundle/end" "$bundle/uname.txt" "$bundle/nproc.txt" "$dir/"
        xz -dc "$bundle/trace.txt.xz" > "$dir/trace.txt"
    fi
    mawks=() memtops=() ratios=()
    for _ in $(seq "$rounds"); do
        # Wall time from bash's microsecond clock: time(1)'s 10 ms steps are a tenth of a small replay.
        t0=$EPOCHREALTIME; mawk '{n+=NF}' "$dir/trace.txt"; t1=$EPOCHREALTIME
        "$memtop" replay "$dir" --headless > /dev/null; t2=$EPOCHREALTIME
        m=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", b - a }') w=$(awk -v a="$t1" -v b="$t2" 'BEGIN { printf "%.3f", b - a }')
        mawks+=("$m") memtops+=("$w") ratios+=("$(awk -v m="$m" -v w="$w" 'BEGIN { printf "%.3f", m / w }')")
    done
    rss=$( { /usr/bin/time -f "%M" "$memtop" replay "$dir" --headless > /dev/null; } 2>&1 | tail -1)
    median=$(printf '%s\n' "${ratios[@]}" | sort -n | sed -n "$(( (rounds + 1) / 2 ))p")
    echo "$name: $(wc -l < "$dir/trace.txt") lines"
    echo "  memtop s: $(printf '%s\n' "${memtops[@]}" | sort -n | tr '\n' ' ')"
    echo "  mawk s:   $(printf '%s\n' "${mawks[@]}" | sort -n | tr '\n' ' ')"
    echo "  median mawk/memtop: $median   peak RSS: $((rss / 1024)) MiB"
done
