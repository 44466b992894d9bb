import HeapModel

/// What the live run hands one frame: the machine as of now and what the session sampled over the
/// run (log, history, narration, timelines, call sites). The statistics step
/// (``FrameStatistics``) reads it once per frame; widgets never do.
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
    /// The call-site table's rows, when the slab panel shows call sites (else empty).
    public var callSites: [CallSiteRow] = []
    /// Frames the page map highlights: those of the selected call site.
    public var highlight: Set<Int> = []
    /// The selected cache's objects and slabs over the run so far, when the slab panel has focus.
    public var cacheTimeline: CacheTimeline?
    /// The fragmentation panel's zone: its free blocks of each order over the run, `[order][sample]`.
    public var zoneTimeline: [[Int]] = []
    /// The step (trace line or operation) whose event placed the block of the frame under the
    /// cursor, when the inspector is open and an event did.
    public var cursorPlacedStep: Int?

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
