/// The fidelity check's tally. Memory stays bounded on any input: every mismatch is counted by
/// kind, and only the first ``examplesPerKind`` of each kind are kept as examples.
public struct CheckReport: Sendable {
    /// Examples kept per kind.
    public static let examplesPerKind = 20
    /// Decisions compared.
    public var compared = 0
    /// The first mismatches of each kind, in line order.
    public var mismatches: [CheckMismatch] = []
    /// Every mismatch, counted by kind.
    public var mismatchCounts: [String: Int] = [:]

    /// All mismatches counted.
    public var mismatchCount: Int { mismatchCounts.values.reduce(0, +) }

    mutating func compare(_ kind: String, line: Int, real: Int, ours: Int, what: String = "") {
        compared += 1
        if real != ours {
            let n = mismatchCounts[kind, default: 0]
            mismatchCounts[kind] = n + 1
            if n < Self.examplesPerKind {
                mismatches.append(CheckMismatch(kind: kind, line: line, detail: "\(what)real \(real), memtop \(ours)"))
            }
        }
    }
}
