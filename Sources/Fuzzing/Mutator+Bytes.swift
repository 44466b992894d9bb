extension Mutator {
    /// Integers that break careless length and offset arithmetic, as little-endian bytes.
    static let extremeWords: [UInt64] = [0, 1, 0x7f, 0xff, 0xffff, 0x7fff_ffff, 0xffff_ffff, 0x1_0000_0000,
                                         0x7fff_ffff_ffff_ffff, 0x8000_0000_0000_0000, .max]

    /// `bytes` with a few mutations: bytes flipped, 1/2/4/8-byte integers replaced by extremes, a
    /// range zeroed, repeated or cut off. Half of them land in the first 64 KiB, where a trace.dat
    /// keeps its headers, formats and section table.
    public mutating func mutate(bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        for _ in 0..<(1 + Int(rng.next() % 4)) where !out.isEmpty {
            let span = rng.next() % 2 == 0 ? min(out.count, 1 << 16) : out.count
            let i = Int(rng.next() % UInt64(span))
            switch rng.next() % 6 {
            case 0: out[i] = UInt8(truncatingIfNeeded: rng.next())
            case 1, 2:
                let width = 1 << Int(rng.next() % 4)
                let value = Mutator.extremeWords[Int(rng.next() % UInt64(Mutator.extremeWords.count))]
                for k in 0..<width where i + k < out.count { out[i + k] = UInt8(truncatingIfNeeded: value >> (8 * k)) }
            case 3:
                let n = min(out.count - i, 1 + Int(rng.next() % 4096))
                out.replaceSubrange(i..<(i + n), with: repeatElement(0, count: n))
            case 4:
                let n = min(out.count - i, 1 + Int(rng.next() % 512))
                out.insert(contentsOf: out[i..<(i + n)], at: i)
            default:
                out.removeSubrange(i...)
            }
        }
        return out
    }
}
