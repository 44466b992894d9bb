#!/usr/bin/env bash
# Reading trace-cmd's trace.dat: `memtop text X.dat` (memtop's native reader printing the kernel's
# ftrace text, through LineSource's pipe) against `trace-cmd report -i X.dat`, both to /dev/null, on
# the shared captures (6.1-mix v7 zstd and v6, 6.1-vmalloc v7). Prints the median wall time of 5 runs
# of each, their ratio, and memtop's full replay of the same file for scale.
# Usage: Benchmarks/tracedat-vs-trace-cmd.sh   (from the repository root; builds memtop in release;
#        needs trace-cmd: apt-get install -y trace-cmd)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v trace-cmd >/dev/null 2>&1 || { echo "tracedat-vs-trace-cmd: trace-cmd is not installed (apt-get install -y trace-cmd)" >&2; exit 1; }
shared=../shared/traces
work=${TMPDIR:-/tmp}/memtop-tracedat-bench
mkdir -p "$work"
# trace-cmd cannot read a compressed file: decompress once.
declare -A files=(
    [mix-v7]=$shared/formats/6.1-mix/trace-v7.dat.xz
    [mix-v6]=$shared/formats/6.1-mix/trace-v6.dat.xz
    [vmalloc-v7]=$shared/bundles/6.1-vmalloc/trace.dat.xz
)
for name in mix-v7 mix-v6 vmalloc-v7; do
    [ -s "$work/$name.dat" ] || xz -dc "${files[$name]}" > "$work/$name.dat"
done
swift build -c release --product memtop >/dev/null
memtop=./.build/release/memtop

# The median wall time, in seconds, of 5 runs of the command.
median() {
    local times=()
    for _ in 1 2 3 4 5; do
        local t0 t1
        t0=$(date +%s.%N)
        "$@" > /dev/null
        t1=$(date +%s.%N)
        times+=("$(echo "$t1 - $t0" | bc)")
    done
    printf '%s\n' "${times[@]}" | sort -n | sed -n 3p
}

printf '%-11s %9s %12s %10s %8s %14s\n' file events trace-cmd memtop ratio "memtop replay"
for name in mix-v7 mix-v6 vmalloc-v7; do
    f=$work/$name.dat
    events=$($memtop text "$f" | grep -vc '^#')
    tc=$(median trace-cmd report -i "$f")
    mt=$(median "$memtop" text "$f")
    rp=$(median "$memtop" replay "$f" --kernel 6.1 --dump buddyinfo)
    printf '%-11s %9s %11.3fs %9.3fs %7.1fx %13.3fs\n' "$name" "$events" "$tc" "$mt" "$(echo "$tc / $mt" | bc -l)" "$rp"
done
