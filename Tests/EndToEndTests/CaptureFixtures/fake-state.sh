#!/bin/sh
# fake-state.sh BUNDLE STATE ROOT: lays out a shared bundle's start/ or end/ as ROOT/proc and
# ROOT/sys (the files memtop-capture reads there), replacing what ROOT held before.
# The capture tests use it to give memtop-capture a machine, and as the "kernel" changing it.
# FAKE_SLAB_ROWS=N keeps only the first N caches and aliases (thousands of small files are slow).
set -eu
bundle=$1 state=$2 root=$3 rows=${FAKE_SLAB_ROWS:-0}
src=$bundle/$state
mkdir -p "$root/proc/sys/kernel" "$root/sys/devices/system/cpu" "$root/sys/kernel"
for f in zoneinfo buddyinfo pagetypeinfo slabinfo vmallocinfo meminfo vmstat modules; do
    if [ -f "$src/$f.txt" ]; then cp "$src/$f.txt" "$root/proc/$f"; else rm -f "$root/proc/$f"; fi
done
# vm_sysctl.txt is PATH<TAB>VALUE of each file read.
while IFS="$(printf '\t')" read -r path value; do
    mkdir -p "$root${path%/*}"
    printf '%s\n' "$value" > "$root$path"
done < "$src/vm_sysctl.txt"
# /sys/kernel/slab: a folder per row of slab_sysfs.tsv (NA: no such file), a link per alias.
rm -rf "$root/sys/kernel/slab"
mkdir -p "$root/sys/kernel/slab"
awk -F '\t' -v slab="$root/sys/kernel/slab" -v rows="$rows" '
    NR == 1 { for (i = 2; i <= NF; i++) column[i] = $i; next }
    rows > 0 && NR > rows + 1 { exit }
    { dirs = dirs " \"" slab "/" $1 "\"" }
    END { if (dirs != "") system("mkdir -p" dirs) }' "$src/slab_sysfs.tsv"
awk -F '\t' -v slab="$root/sys/kernel/slab" -v rows="$rows" '
    NR == 1 { for (i = 2; i <= NF; i++) column[i] = $i; next }
    rows > 0 && NR > rows + 1 { exit }
    { for (i = 2; i <= NF; i++) if ($i != "NA") { f = slab "/" $1 "/" column[i]; print $i > f; close(f) } }' "$src/slab_sysfs.tsv"
tail -n +2 "$src/slab_aliases.tsv" | if [ "$rows" -gt 0 ]; then head -n "$rows"; else cat; fi | while IFS="$(printf '\t')" read -r alias target; do
    ln -s "$target" "$root/sys/kernel/slab/$alias"
done
