import BuiltInWorkloads
import HeapModel
import Operations
import TerminalUI
import Traces

/// The viewer's time travel: snapshots of the whole run taken every ``interval`` steps, and the
/// marks `]` and `[` visit.
///
/// # Invariants
/// - Snapshots are in step order, the first at step 0, at most `capacity` of them (fewer for big
///   machines, so that time travel stays within ``memoryBudget``).
/// - `marks` is sorted and has no duplicates.
struct Timeline {
    /// Everything needed to be back at `step`: values, and where the trace stood.
    struct Snapshot {
        let step: Int
        let machine: Machine
        let run: any WorkloadRun
        let ops: OperationRunner
        let log: [LogLine]
        /// The cumulative allocations per call site.
        var sites = AllocationReport()
        let history: [Int]
        /// The step that placed each frame's block, as of `step`.
        let placements: PlacementSteps
        /// The trace's position, for a trace; nil for a workload (or step 0 of a trace).
        let trace: TraceRun.Position?

        /// Counts the machine's and the run's buffers in `census`.
        func count(in census: inout StorageCensus) {
            machine.count(in: &census)
            run.count(in: &census)
            placements.count(in: &census)
        }
    }

    /// The most snapshots kept.
    static let maxSnapshots = 48
    /// The memory time travel may use by default, whatever the machine's size.
    static let memoryBudget = 1 << 30
    private(set) var snapshots: [Snapshot] = []
    /// The most snapshots kept at once.
    let capacity = Timeline.maxSnapshots
    /// The bytes the snapshots may hold beyond what they share with the live machine.
    let budget: Int
    /// The bytes the snapshots held beyond the newest one when the last was kept: each machine's
    /// frame tables are chunked, so a snapshot costs the chunks that changed since the one before.
    private(set) var heldBytes = 0

    /// A timeline whose snapshots hold at most `budget` bytes of their own.
    init(budget: Int = Timeline.memoryBudget) {
        self.budget = budget
    }

    /// Steps between snapshots; doubles when the list is thinned, so memory stays bounded.
    private(set) var interval = 2_000
    /// Steps at which a violation, narration or mark happened.
    private(set) var marks: [Int] = []

    /// Steps of each kind of event the jump keys visit (at most ``maxKindMarks`` each).
    private(set) var kindMarks: [Seek.MarkKind: [Int]] = [:]
    /// The most steps kept per kind.
    static let maxKindMarks = 1 << 20

    /// Notes an event of `kind` at `step` (steps only grow while playing; a replay after a seek
    /// passes steps already noted).
    mutating func addMark(_ kind: Seek.MarkKind, at step: Int) {
        var list = kindMarks[kind] ?? []
        guard list.count < Self.maxKindMarks, list.last.map({ $0 < step }) ?? true else { return }
        list.append(step)
        kindMarks[kind] = list
    }

    /// What an event marks: a violation (visited by `]` and `[`), or a kind the jump keys visit.
    enum Mark {
        case violation
        case kind(Seek.MarkKind)
    }

    /// The mark `event` makes, if any: the one place that decides which events the keys visit.
    static func mark(of event: HeapEvent.Kind) -> Mark? {
        switch event {
        case .contractViolated: return .violation
        case .fallbackTaken: return .kind(.fallback)
        case .allocationFailed, .pageAllocationFailed: return .kind(.failure)
        default: return nil
        }
    }

    /// Notes `mark` at `step`.
    mutating func add(_ mark: Mark, at step: Int) {
        switch mark {
        case .violation: addMark(step)
        case .kind(let kind): addMark(kind, at: step)
        }
    }

    /// The first step of `kind` after `step`, or the last before it.
    func mark(_ kind: Seek.MarkKind, after step: Int) -> Int? { kindMarks[kind]?.first { $0 > step } }
    func mark(_ kind: Seek.MarkKind, before step: Int) -> Int? { kindMarks[kind]?.last { $0 < step } }

    /// The first snapshot: the booted machine.
    var first: Snapshot? { snapshots.first }

    /// Keeps `snapshot`, unless one at or after its step exists (a replay after a seek passes them).
    /// When the list is full, or holds more than ``budget``, every other snapshot is dropped and
    /// future ones are spaced twice as far apart, so memory stays bounded however long the run.
    mutating func keep(_ snapshot: Snapshot) {
        if let last = snapshots.last, last.step >= snapshot.step { return }
        if snapshots.count >= capacity {
            // Thin before adding, so that no more than `capacity` copies ever live at once.
            thin()
            guard snapshot.step % interval == 0 || snapshots.count < capacity else { return }
        }
        snapshots.append(snapshot)
        heldBytes = measure()
        while heldBytes > budget && snapshots.count > 2 {
            thin()
            heldBytes = measure()
        }
    }

    /// Keeps every other snapshot (the first always) and doubles the interval.
    private mutating func thin() {
        snapshots = snapshots.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
        interval *= 2
    }

    /// The bytes the snapshots hold that the newest (a copy of the live machine when it was kept)
    /// does not share.
    private func measure() -> Int {
        guard let newest = snapshots.last else { return 0 }
        var census = StorageCensus()
        census.exclude { newest.count(in: &$0) }
        for snapshot in snapshots.dropLast() { snapshot.count(in: &census) }
        return census.bytes
    }

    /// Whether a snapshot is due after `step`.
    func isDue(_ step: Int) -> Bool { step % interval == 0 }

    /// The step of the next snapshot after `step`.
    func nextSnapshot(after step: Int) -> Int { (step / interval + 1) * interval }

    /// The latest snapshot at or before `goal`; for a trace, only one that knows its position.
    func latest(atOrBefore goal: Int, needsTracePosition: Bool) -> Snapshot? {
        snapshots.last { $0.step <= goal && (!needsTracePosition || $0.trace != nil) }
    }

    /// Notes a mark at `step`.
    /// - Complexity: O(marks) when the mark is new.
    mutating func addMark(_ step: Int) {
        guard marks.last.map({ $0 < step }) ?? true else {
            guard !marks.contains(step) else { return }
            marks.append(step)
            marks.sort()
            return
        }
        marks.append(step)
    }

    /// The first mark after `step`.
    func mark(after step: Int) -> Int? { marks.first { $0 > step } }

    /// The last mark before `step`.
    func mark(before step: Int) -> Int? { marks.last { $0 < step } }
}
