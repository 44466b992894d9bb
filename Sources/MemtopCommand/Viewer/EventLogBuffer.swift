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
    /// Events taken but not formatted yet.
    private var unformatted: [HeapEvent] = []
    /// Allocations so far per call site (the call-site table's cumulative columns).
    private(set) var sites = AllocationReport()

    /// Adds a line of the viewer's own (narration, an answer, an export notice).
    mutating func append(_ line: LogLine) { lines.append(line) }

    /// Takes `events` without formatting them, except the warnings and violations of those too old
    /// to be shown in full.
    mutating func collect(_ events: [HeapEvent], machine: Machine) {
        sites.countSites(events, in: machine)
        unformatted += events
        guard unformatted.count > Self.capacity * 4 else { return }
        let old = unformatted.count - Self.capacity
        for e in unformatted[..<old] where EventFormatter.isNotable(e) {
            lines += EventFormatter.lines(e, in: machine).filter { $0.kind != .event }
        }
        unformatted.removeFirst(old)
    }

    /// Formats the events taken so far: the newest ``capacity`` in full, the warnings and
    /// violations of older ones.
    mutating func format(in machine: Machine) {
        guard !unformatted.isEmpty else { return }
        let tail = unformatted.suffix(Self.capacity)
        for e in unformatted.dropLast(tail.count) where EventFormatter.isNotable(e) {
            lines += EventFormatter.lines(e, in: machine).filter { $0.kind != .event }
        }
        for e in tail { lines += EventFormatter.lines(e, in: machine) }
        unformatted.removeAll(keepingCapacity: true)
        if lines.count > Self.capacity * 2 { lines.removeFirst(lines.count - Self.capacity) }
    }

    /// Drops the events not formatted yet (going back in time).
    mutating func discardPending() { unformatted.removeAll(keepingCapacity: true) }

    /// Goes back to the lines and counts of a snapshot.
    mutating func restore(_ saved: [LogLine], sites savedSites: AllocationReport) {
        lines = saved
        sites = savedSites
        unformatted.removeAll(keepingCapacity: true)
    }
}
