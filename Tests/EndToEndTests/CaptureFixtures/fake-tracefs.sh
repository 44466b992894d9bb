#!/bin/sh
# fake-tracefs.sh BUNDLE ROOT: the rest of a fake machine for memtop-capture: the bundle's identity
# (/proc/sys/kernel, cpus, cmdline) and a tracefs of plain files holding settings other than the
# capture's (so that restoring them shows), with the events of the bundle's enabled_event_formats.txt.
set -eu
bundle=$1 root=$2
k=$root/proc/sys/kernel
mkdir -p "$k" "$root/sys/devices/system/cpu"
read -r ostype hostname release version < "$bundle/uname.txt"
printf '%s\n' "$ostype" > "$k/ostype"
printf '%s\n' "$hostname" > "$k/hostname"
printf '%s\n' "$release" > "$k/osrelease"
printf '%s\n' "${version% x86_64 GNU/Linux}" > "$k/version"
sed -n 's/^online: //p' "$bundle/cpus.txt" > "$root/sys/devices/system/cpu/online"
cp "$bundle/cmdline.txt" "$root/proc/cmdline"
printf '4.15 3.20\n' > "$root/proc/uptime"
printf 'ffffffff81000000 T _stext\nffffffff81300000 T __vmalloc_node_range_noprof\n' > "$root/proc/kallsyms"
t=$root/sys/kernel/tracing
mkdir -p "$t/options" "$t/per_cpu/cpu0" "$t/per_cpu/cpu1"
printf '1\n' > "$t/tracing_on"
printf 'function\n' > "$t/current_tracer"
printf '[local] global counter uptime perf mono mono_raw boot tai x86-tsc\n' > "$t/trace_clock"
printf '1408\n' > "$t/buffer_size_kb"
printf '2816\n' > "$t/buffer_total_size_kb"
printf 'sched:sched_switch\nirq:irq_handler_entry\n' > "$t/set_event"
: > "$t/kprobe_events"
: > "$t/kprobe_profile"
: > "$t/trace"
for o in overwrite:1 hash-ptr:1 raw:0 hex:0 bin:0 block:0 verbose:0 latency-format:0 context-info:1 irq-info:1 \
         record-tgid:1 stacktrace:0 userstacktrace:0 annotate:1; do
    printf '%s\n' "${o#*:}" > "$t/options/${o%:*}"
done
for c in 0 1; do
    printf 'entries: 0\noverrun: 0\ncommit overrun: 0\nbytes: 0\noldest event ts:     0.000000\nnow ts:     4.183571\ndropped events: 0\nread events: 0\n' \
        > "$t/per_cpu/cpu$c/stats"
done
# Each "== group:event" of the formats file opens an event folder with its format, off, no filter.
awk -v events="$t/events" '
    /^== / { split($2, name, ":"); dir = events "/" name[1] "/" name[2]; system("mkdir -p \"" dir "\"")
             print "0" > (dir "/enable"); close(dir "/enable"); print "none" > (dir "/filter"); close(dir "/filter")
             print "0" > (events "/" name[1] "/enable"); close(events "/" name[1] "/enable"); next }
    { print > (dir "/format") }' "$bundle/enabled_event_formats.txt"
# A filter someone left on one event: the capture clears it and puts it back.
printf 'bytes_alloc > 4096\n' > "$t/events/kmem/kmalloc/filter"
