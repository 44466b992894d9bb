/// A top-level allocator call as memtop's trace format writes it: `op key=value ...`. The machine
/// keeps them while asked to, so that any run can be written out (`memtop record`) and replayed to
/// the same final state.
public struct RecordedOperation: Hashable, Sendable {
    /// The operation: `kmalloc`, `kfree`, `vmalloc`, `alloc_pages`, `realloc`, ...
    public let op: String
    /// Arguments in order.
    public let arguments: [String]

    /// An operation with `key=value` arguments.
    public init(_ op: String, _ arguments: [(String, String)]) {
        self.op = op
        self.arguments = arguments.map { "\($0.0)=\($0.1)" }
    }

    /// The line in memtop's trace format.
    public var line: String { ([op] + arguments).joined(separator: " ") }
}

extension Machine {
    /// Starts (or stops) keeping the operation log.
    public mutating func setRecordingOperations(_ on: Bool) { operationLog = on ? (operationLog ?? []) : nil }

    /// Returns the operations logged so far and clears the log.
    public mutating func takeOperations() -> [RecordedOperation] {
        let out = operationLog ?? []
        if operationLog != nil { operationLog = [] }
        return out
    }

    /// Marks entry into an allocator API; returns true when this call is the outermost one and the
    /// log is on (so the caller should log itself when done).
    @inlinable
    package mutating func enterAPI() -> Bool {
        apiDepth += 1
        return apiDepth == 1 && operationLog != nil
    }

    /// Marks the exit from an allocator API.
    @inlinable
    package mutating func leaveAPI() { apiDepth -= 1 }

    /// Appends an operation to the log.
    package mutating func logOperation(_ op: String, _ arguments: [(String, String)]) {
        operationLog?.append(RecordedOperation(op, arguments))
    }
}
