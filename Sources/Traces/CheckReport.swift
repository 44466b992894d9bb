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

    /// The kind under which events the simulation could not apply are counted.
    public static let simulationFailure = "event memtop could not apply"

    /// An event the kernel did that memtop could not (an allocation it could not satisfy, a page
    /// free of frames it does not manage): a mismatch, though there is nothing to compare.
    mutating func fail(line: Int, detail: String) {
        let n = mismatchCounts[Self.simulationFailure, default: 0]
        mismatchCounts[Self.simulationFailure] = n + 1
        if n < Self.examplesPerKind { mismatches.append(CheckMismatch(kind: Self.simulationFailure, line: line, detail: detail)) }
    }

    /// Compares one value; `what` (the text before the values in an example) is built only for a mismatch.
    mutating func compare(_ kind: String, line: Int, real: Int, ours: Int, what: @autoclosure () -> String = "") {
        compared += 1
        if real != ours {
            let n = mismatchCounts[kind, default: 0]
            mismatchCounts[kind] = n + 1
            if n < Self.examplesPerKind {
                mismatches.append(CheckMismatch(kind: kind, line: line, detail: "\(what())real \(real), memtop \(ours)"))
            }
        }
    }
}
