/// The events a machine recorded since the caller last took them.
///
/// Recording is off by default. The sequence counter advances only for recorded events, so a
/// stream's numbers are dense.
public struct EventLog: Sendable {
    /// Whether operations record events.
    public var isRecording: Bool = false
    /// The events not yet taken.
    public internal(set) var pending: [HeapEvent] = []
    /// The sequence number the next event will get.
    public internal(set) var nextSequence: UInt64 = 0
    /// When set, recorded events are added to this report instead of being kept (see
    /// ``Machine/tallyEvents(into:)``).
    var tally: AllocationReport?

    /// Whether events are recorded and kept: a free or a page event, which a tally has no use
    /// for, need not be made otherwise.
    public var keepsEvents: Bool { isRecording && tally == nil }

    /// An empty log, not recording.
    public init() {}
}
