import HeapModel

/// Seeded mutations of text inputs, as a fuzzer makes them: bytes flipped, lines cut, repeated or
/// swapped, numbers replaced by extremes (0, -1, 2^63, a 30-digit run), fields dropped.
/// The same seed gives the same mutations.
public struct Mutator: Sendable {
    var rng: SplitMix64

    /// A mutator seeded with `seed`.
    public init(seed: UInt64) { rng = SplitMix64(seed: seed) }

    /// Numbers that break careless arithmetic.
    static let extremes = ["0", "-1", "4294967295", "4294967296", "9223372036854775807", "9223372036854775808",
                           "18446744073709551615", "999999999999999999999999999999", "0x", "0xffffffffffffffff", "8388608T", "1.5G"]

    /// `lines` with a few mutations.
    public mutating func mutate(_ lines: [String]) -> [String] {
        var out = lines
        for _ in 0..<(1 + Int(rng.next() % 4)) where !out.isEmpty {
            let i = Int(rng.next() % UInt64(out.count))
            switch rng.next() % 7 {
            case 0: out[i] = flipByte(out[i])
            case 1: out[i] = String(out[i].prefix(Int(rng.next() % UInt64(max(out[i].count, 1)))))
            case 2: out.insert(out[i], at: i)
            case 3: out.swapAt(i, Int(rng.next() % UInt64(out.count)))
            case 4: out[i] = replaceNumber(out[i])
            case 5: out[i] = dropField(out[i])
            default: out[i] = out[i] + " " + Mutator.extremes[Int(rng.next() % UInt64(Mutator.extremes.count))]
            }
        }
        return out
    }

    mutating func flipByte(_ line: String) -> String {
        var bytes = Array(line.utf8)
        guard !bytes.isEmpty else { return line }
        bytes[Int(rng.next() % UInt64(bytes.count))] = UInt8(truncatingIfNeeded: rng.next())
        return String(decoding: bytes, as: UTF8.self)
    }

    mutating func replaceNumber(_ line: String) -> String {
        var parts = line.split(separator: " ", omittingEmptySubsequences: false).map(String.init)
        let numeric = parts.indices.filter { parts[$0].contains(where: \.isNumber) }
        guard let k = numeric.isEmpty ? nil : numeric[Int(rng.next() % UInt64(numeric.count))] else { return line }
        let extreme = Mutator.extremes[Int(rng.next() % UInt64(Mutator.extremes.count))]
        if let eq = parts[k].firstIndex(of: "=") { parts[k] = String(parts[k][...eq]) + extreme } else { parts[k] = extreme }
        return parts.joined(separator: " ")
    }

    mutating func dropField(_ line: String) -> String {
        var parts = line.split(separator: " ").map(String.init)
        guard parts.count > 1 else { return line }
        parts.remove(at: Int(rng.next() % UInt64(parts.count)))
        return parts.joined(separator: " ")
    }
}
