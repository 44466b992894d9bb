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

extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}

/// `0x` and lower-case hex.
func hexString<T: BinaryInteger>(_ v: T) -> String { "0x" + String(v, radix: 16) }
