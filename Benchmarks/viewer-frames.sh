#!/usr/bin/env bash
# The viewer's frame cost and key latency, measured in a real terminal (tmux) on a release build:
#  1. frames with about 1% of cells changed (cursor moves while paused) at 200x60, render + ncurses flush;
#  2. key-to-screen latency while a 1.37M-line trace replays at full speed;
#  3. CPU time used while paused.
# Usage: Benchmarks/viewer-frames.sh   (from the repository root; needs tmux and python3)
set -euo pipefail
cd "$(dirname "$0")/.."
swift build -c release --product memtop >/dev/null
bin=./.build/release/memtop
stats=${TMPDIR:-/tmp}/memtop-frames.txt
rm -f "$stats"
tmux kill-session -t memtop-bench 2>/dev/null || true
tmux new-session -d -s memtop-bench -x 200 -y 60 "env LANG=C.UTF-8 TERM=tmux-256color MEMTOP_FRAME_STATS=$stats $bin run slab-churn; sleep 30"
tmux set -t memtop-bench status off >/dev/null
sleep 3
tmux send-keys -t memtop-bench Space
sleep 0.5
for _ in $(seq 1 200); do tmux send-keys -t memtop-bench Right; done
sleep 2
pid=$(pgrep -f "$bin run slab-churn" | head -1)
t1=$(awk '{print $14+$15}' /proc/$pid/stat); sleep 5; t2=$(awk '{print $14+$15}' /proc/$pid/stat)
tmux send-keys -t memtop-bench q
sleep 1
tmux kill-session -t memtop-bench
echo "1% frames at 200x60: $(cat "$stats")"
echo "CPU while paused: $((t2 - t1)) clock ticks in 5 s"

big=${TMPDIR:-/tmp}/memtop-trace-1.37M.txt
[ -s "$big" ] || Benchmarks/replay-vs-mawk.sh >/dev/null
tmux new-session -d -s memtop-bench -x 200 -y 60 "env LANG=C.UTF-8 TERM=tmux-256color $bin replay $big --kernel 6.1; sleep 30"
tmux set -t memtop-bench status off >/dev/null
for _ in $(seq 1 100); do sleep 0.2; tmux capture-pane -p -t memtop-bench | grep -q Events && break; done
tmux send-keys -t memtop-bench + + + + + + + +
sleep 2
python3 - <<'PY'
import subprocess, time
lat = []
for _ in range(10):
    t0 = time.time()
    subprocess.run(["tmux", "send-keys", "-t", "memtop-bench", "?"])
    while "memtop keys" not in subprocess.run(["tmux", "capture-pane", "-p", "-t", "memtop-bench"], capture_output=True, text=True).stdout:
        if time.time() - t0 > 2: break
    lat.append((time.time() - t0) * 1000)
    subprocess.run(["tmux", "send-keys", "-t", "memtop-bench", "x"])
    time.sleep(0.2)
lat.sort()
print("key-to-screen while replaying at full speed: median %.1f ms, max %.1f ms (includes ~3 ms per capture-pane)" % (lat[len(lat) // 2], lat[-1]))
PY
tmux send-keys -t memtop-bench q
sleep 0.5
tmux kill-session -t memtop-bench
