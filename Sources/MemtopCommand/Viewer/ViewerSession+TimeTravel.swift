import HeapModel
import TerminalUI
import Traces

extension ViewerSession {
    /// Keeps a snapshot of where the run stands (a trace that cannot seek keeps none: it is reread).
    mutating func takeSnapshot() {
        if let last = timeline.snapshots.last, last.step >= status.step { return }
        absorbEvents()
        var position: TraceRun.Position?
        if let trace {
            // A trace that cannot seek (compressed, stdin) is reread from the start instead.
            guard let p = trace.position() else { return }
            position = p
        }
        timeline.keep(Timeline.Snapshot(step: status.step, machine: machine, run: run, ops: ops, log: log, sites: events.sites, history: history,
                                        placements: placements, trace: position))
    }

    /// Goes to operation `target` (clamped to 0...total): from the nearest snapshot at or before it
    /// (restoring it when that is ahead of where the run stands, or when going back), then playing
    /// the rest. A trace that cannot seek (compressed, stdin) is reread from its start to go back.
    public mutating func seek(to target: Int) {
        let goal = max(0, min(target, status.total ?? target))
        let usable = timeline.latest(atOrBefore: goal, needsTracePosition: trace != nil)
        if goal >= status.step && (usable == nil || usable!.step <= status.step) {
            advance(goal - status.step, throughPauses: true)
            return
        }
        if let snap = usable, snap.step > 0 || trace == nil {
            if let trace, let position = snap.trace {
                guard trace.restore(position) else { return rereadTrace(to: goal) }
            }
            restore(snap)
            playQuickly(to: goal)
            return
        }
        if trace != nil { rereadTrace(to: goal) }
    }

    /// Puts the run back as `snap` has it. A trace's run is the live TraceRun, already moved to the
    /// snapshot's position; the snapshot's own may be one that a reread has since replaced.
    mutating func restore(_ snap: Timeline.Snapshot) {
        machine = snap.machine
        run = trace.map { TraceWorkloadRun(trace: $0) } ?? snap.run
        ops = snap.ops
        events.restore(snap.log, sites: snap.sites)
        history = snap.history
        placements = snap.placements
        status.step = snap.step
        status.finished = false
        lostSeen = trace?.lostEvents ?? 0
        lesson.rewind(to: snap.step)
        cacheSamples.rewind(to: snap.step)
        discardEvents()
    }

    /// Plays to `goal` as ``advance(_:clock:deadline:throughPauses:)`` would, but reads a trace on a
    /// second thread for the bulk of the way (a seek replays up to a snapshot interval of lines;
    /// this halves the time), stepping only the last lines and any that reach a snapshot point.
    mutating func playQuickly(to goal: Int) {
        let bulk = min(goal, timeline.nextSnapshot(after: status.step) - 1) - status.step - fastForward.margin
        if let trace, bulk >= fastForward.minimum, trace.canFastForward {
            let base = status.step
            var scanned = 0
            // The closure works on moved-out values, so that the machine can be passed inout.
            var buffer = events, found: [(Timeline.Mark, Int)] = [], samples = cacheSamples, placed = placements
            events = EventLogBuffer()
            let applied = trace.fastForward(bulk, machine: &machine) { m, k in
                // As advance does per step: note marks, sample the caches, take events now and then.
                let pending = m.events.pending
                while scanned < pending.count {
                    let kind = pending[scanned].kind
                    if let mark = Timeline.mark(of: kind) { found.append((mark, base + k)) }
                    placed.note(kind, step: base + k)
                    scanned += 1
                }
                if (base + k) % samples.every == 0 { samples.take(step: base + k, machine: m) }
                if k & 255 == 0 {
                    buffer.collect(m.takeEvents(), machine: m)
                    scanned = 0
                }
            }
            events = buffer
            cacheSamples = samples
            placements = placed
            for (mark, step) in found { timeline.add(mark, at: step) }
            collectEvents()
            status.step += applied
        }
        advance(goal - status.step, throughPauses: true)
    }

    /// Starts a trace over from its first line, on the booted machine of the first snapshot, and
    /// plays to `goal`.
    mutating func rereadTrace(to goal: Int) {
        guard case .trace = request.source, let fresh = try? TraceRun(path: tracePath, setup: traceSetup),
              let start = timeline.first else { return }
        trace = fresh
        restore(start)
        // The first line decides the format; after it a plain-text trace can be read ahead.
        advance(min(goal, 1), throughPauses: true)
        playQuickly(to: goal)
    }

    /// Performs the seek a key asked for.
    mutating func performSeek(_ request: Seek) {
        switch request {
        case .back: seek(to: status.step - 1)
        case .start: seek(to: 0)
        case .end: seek(to: status.total ?? Int.max)
        case .to(let n): seek(to: n)
        case .nextMark:
            if let next = timeline.mark(after: status.step) { seek(to: next); return }
            // Not met yet: play until one happens (or the end).
            let start = status.step
            while !status.finished && timeline.mark(after: start) == nil { advance(256, throughPauses: true) }
            if let m = timeline.mark(after: start) { seek(to: m) }
        case .previousMark:
            if let previous = timeline.mark(before: status.step) { seek(to: previous) }
        case .next(let kind):
            if let next = timeline.mark(kind, after: status.step) { seek(to: next); return }
            let start = status.step
            while !status.finished && timeline.mark(kind, after: start) == nil { advance(256, throughPauses: true) }
            if let m = timeline.mark(kind, after: start) { seek(to: m) }
        case .previous(let kind):
            if let previous = timeline.mark(kind, before: status.step) { seek(to: previous) }
        case .cacheGrowth:
            if let cache = selectedCache(), let step = cacheSamples.biggestGrowth(cache: cache) { seek(to: step) }
        }
    }

    /// The machine's index of the cache selected in the slab table, if a cache row is selected.
    func selectedCache() -> Int? { panelRows().selectedCache(in: machine, state: state) }
}
