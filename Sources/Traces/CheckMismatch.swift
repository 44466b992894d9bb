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
