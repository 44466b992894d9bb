/// One comparison that failed: where, what kind, and the two values.
public struct CheckMismatch: Hashable, Sendable {
    /// The kind compared (`kmalloc bytes_alloc`, `large kmalloc order`, `vmalloc area size`, ...).
    public let kind: String
    /// The trace line.
    public let line: Int
    /// What the real kernel did and what memtop decided.
    public let detail: String

    /// A mismatch.
    public init(kind: String, line: Int, detail: String) {
        self.kind = kind
        self.line = line
        self.detail = detail
    }
}

/// The fidelity check's tally.
public struct CheckReport: Sendable {
    /// Decisions compared.
    public var compared = 0
    /// The ones that differ.
    public var mismatches: [CheckMismatch] = []

    mutating func compare(_ kind: String, line: Int, real: Int, ours: Int, what: String = "") {
        compared += 1
        if real != ours {
            mismatches.append(CheckMismatch(kind: kind, line: line, detail: "\(what)real \(real), memtop \(ours)"))
        }
    }
}
