import HeapModel

/// What the live run hands one frame: the machine as of now and what the session sampled over the
/// run (log, history, narration, samples of the caches and zones, call-site totals, the steps that
/// placed each frame). The session only composes it; the statistics step (``FrameStatistics``)
/// derives the frame's rows, timelines and highlights from it once per frame; widgets never read it.
public struct FrameSnapshot: Sendable {
    /// The machine as of this frame (a copy: O(1), and immune to later steps).
    public var machine: Machine
    /// The status bar's facts.
    public var status: StatusInfo
    /// The latest log lines, oldest first.
    public var log: [LogLine]
    /// Fragmentation history: the unusable index (×1000) at order 3 of the largest zone, one sample per frame.
    public var history: [Int]
    /// A lesson's narration so far, oldest first (empty when the source narrates nothing).
    public var narration: [NarrationCard]
    /// What each call site allocated so far (the call-site table's cumulative columns).
    public var callSiteReport = AllocationReport()
    /// Every cache's objects and slabs and every zone's free blocks over the run (the selected
    /// cache's timeline, the fragmentation panel's history of each order); nil when nothing was
    /// sampled (an export of a headless run), and then the panels draw no timelines.
    public var samples: CacheSamples?
    /// The step (trace line or operation) whose event placed each frame's block, for the
    /// inspector; nil when not kept.
    public var placements: PlacementSteps?

    /// A snapshot.
    public init(machine: Machine, status: StatusInfo, log: [LogLine] = [], history: [Int] = [], narration: [NarrationCard] = []) {
        self.machine = machine
        self.status = status
        self.log = log
        self.history = history
        self.narration = narration
    }
}

/// The status bar's facts.
public struct StatusInfo: Hashable, Sendable {
    /// The workload or trace name.
    public var source: String
    /// Operations done.
    public var step: Int
    /// Operations in all, when known.
    public var total: Int?
    /// Target speed in operations per second.
    public var speed: Int
    /// Playing or paused.
    public var playing: Bool
    /// The source has no more operations.
    public var finished: Bool
    /// What a step is: `line` for a trace (its line numbers), `op` for a workload's operations.
    public var counter = "op"

    /// Status facts.
    public init(source: String, step: Int = 0, total: Int? = nil, speed: Int = 1000, playing: Bool = true, finished: Bool = false) {
        self.source = source
        self.step = step
        self.total = total
        self.speed = speed
        self.playing = playing
        self.finished = finished
    }
}

/// One line of the event log.
public struct LogLine: Hashable, Sendable {
    /// How the line is shown.
    public enum Kind: Hashable, Sendable {
        /// An ordinary event.
        case event
        /// A narration line from a trace or lesson.
        case narration
        /// A failed allocation.
        case warning
        /// A contract violation.
        case violation
    }
    /// How it is shown.
    public var kind: Kind
    /// The text.
    public var text: String
    /// Sequence number of the event, if it was one.
    public var sequence: UInt64?
    /// The step (trace line or workload operation) that made it: the header's counter.
    public var step: Int?

    /// A log line.
    public init(kind: Kind, text: String, sequence: UInt64? = nil) {
        self.kind = kind
        self.text = text
        self.sequence = sequence
    }
}

extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}

/// `0x` and lower-case hex.
func hexString<T: BinaryInteger>(_ v: T) -> String { "0x" + String(v, radix: 16) }
