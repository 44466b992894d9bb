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
