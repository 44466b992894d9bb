#!/bin/sh
# fake-kernel.sh BUNDLE ROOT LINES [DROPPED]: the command a capture test traces; it plays the kernel.
# It notes the tracing settings it sees while "running" (ROOT/seen.txt), moves the machine to the
# bundle's end/ state, puts the first LINES lines of the bundle's trace in the ring buffer, and
# reports DROPPED events lost on CPU 1.
set -eu
bundle=$1 root=$2 lines=$3 dropped=${4:-0}
t=$root/sys/kernel/tracing
for f in tracing_on current_tracer trace_clock buffer_size_kb options/overwrite options/hash-ptr options/record-tgid \
         events/kmem/kmalloc/enable events/kmem/kmalloc/filter set_event; do
    printf '%s=%s\n' "$f" "$(tr '\n' ';' < "$t/$f")"
done > "$root/seen.txt"
"$(dirname "$0")/fake-state.sh" "$bundle" end "$root"
xz -dc "$bundle/trace.txt.xz" | head -n "$lines" > "$t/trace"
printf 'entries: %s\noverrun: 0\ncommit overrun: 0\nbytes: 1000\noldest event ts:     4.184257\nnow ts:    36.728731\ndropped events: %s\nread events: 0\n' \
    "$lines" "$dropped" > "$t/per_cpu/cpu1/stats"
