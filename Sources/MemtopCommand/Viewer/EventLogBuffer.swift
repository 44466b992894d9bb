import HeapModel
import TerminalUI

/// The viewer's event log: events taken from the machine, formatted lazily.
///
/// Formatting is the costly part of playing, and only the newest ``capacity`` events are ever
/// shown in full, so events wait unformatted until a frame needs them; warnings and violations
/// of older events are always kept.
///
/// # Invariants
/// - `lines` holds at most `2 × capacity` lines after ``format(in:)``.
/// - `unformatted` holds events taken from the machine and not yet in `lines`.
struct EventLogBuffer {
    /// How many lines a frame shows at most.
    static let capacity = 400
    /// The lines so far.
    private(set) var lines: [LogLine] = []
    /// Events taken but not formatted yet, and the step that made each.
    private var unformatted: [HeapEvent] = []
    private var unformattedSteps: [Int] = []
    /// Allocations so far per call site (the call-site table's cumulative columns).
    private(set) var sites = AllocationReport()

    /// Adds a line of the viewer's own (narration, an answer, an export notice).
    mutating func append(_ line: LogLine) { lines.append(line) }

    /// Takes `events` without formatting them, except the warnings and violations of those too old
    /// to be shown in full.
    /// `steps` holds the step of each event (the last step for those it does not cover).
    mutating func collect(_ events: [HeapEvent], steps: [Int] = [], machine: Machine) {
        sites.countSites(events, in: machine)
        unformatted += events
        unformattedSteps += steps.prefix(events.count)
        if let last = steps.last ?? unformattedSteps.last, steps.count < events.count {
            unformattedSteps += repeatElement(last, count: events.count - steps.count)
        }
        guard unformatted.count > Self.capacity * 4 else { return }
        let old = unformatted.count - Self.capacity
        for (k, e) in unformatted[..<old].enumerated() where EventFormatter.isNotable(e) {
            lines += stamped(EventFormatter.lines(e, in: machine).filter { $0.kind != .event }, k)
        }
        unformatted.removeFirst(old)
        unformattedSteps.removeFirst(min(old, unformattedSteps.count))
    }

    /// `lines` with the step of unformatted event `k`.
    private func stamped(_ lines: [LogLine], _ k: Int) -> [LogLine] {
        guard k < unformattedSteps.count else { return lines }
        return lines.map { var l = $0; l.step = unformattedSteps[k]; return l }
    }

    /// Formats the events taken so far: the newest ``capacity`` in full, the warnings and
    /// violations of older ones.
    mutating func format(in machine: Machine) {
        guard !unformatted.isEmpty else { return }
        let tailStart = max(0, unformatted.count - Self.capacity)
        for (k, e) in unformatted.enumerated() where k >= tailStart || EventFormatter.isNotable(e) {
            let all = EventFormatter.lines(e, in: machine)
            lines += stamped(k >= tailStart ? all : all.filter { $0.kind != .event }, k)
        }
        unformatted.removeAll(keepingCapacity: true)
        unformattedSteps.removeAll(keepingCapacity: true)
        if lines.count > Self.capacity * 2 { lines.removeFirst(lines.count - Self.capacity) }
    }

    /// Drops the events not formatted yet (going back in time).
    mutating func discardPending() {
        unformatted.removeAll(keepingCapacity: true)
        unformattedSteps.removeAll(keepingCapacity: true)
    }

    /// Goes back to the lines and counts of a snapshot.
    mutating func restore(_ saved: [LogLine], sites savedSites: AllocationReport) {
        lines = saved
        sites = savedSites
        unformatted.removeAll(keepingCapacity: true)
        unformattedSteps.removeAll(keepingCapacity: true)
    }
}
