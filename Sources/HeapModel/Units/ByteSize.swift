/// Byte counts as people write them: `4096`, `4K`, `2M`, `1G`, `1.5G`.
///
/// Suffixes are binary (K = 1024), case-insensitive, with an optional trailing `B` or `iB`
/// (`4KiB`, `4kb`), as `free -h` and the kernel's `memparse()` read them.
public enum ByteSize {
    /// Why a size could not be read.
    public enum ParseError: Error, Equatable, Sendable {
        /// The text is empty.
        case empty
        /// The text is not a number with an optional K/M/G/T suffix.
        case malformed(String)
        /// The value does not fit in 64 bits.
        case tooLarge(String)
    }

    /// Parses a size such as `1G` or `4096` into bytes.
    /// - Throws: `ParseError` naming what was wrong.
    public static func parse(_ text: String) throws(ParseError) -> UInt64 {
        var body = Substring(text.trimmingSpaces())
        if body.isEmpty { throw .empty }
        let lower = body.lowercased()
        if lower.hasSuffix("ib") { body = body.dropLast(2) } else if lower.hasSuffix("b"), body.count > 1,
            let prev = body.dropLast().last, prev.isLetter { body = body.dropLast(1) }
        var shift: UInt64 = 0
        if let last = body.last, last.isLetter {
            switch last.lowercased() {
            case "k": shift = 10
            case "m": shift = 20
            case "g": shift = 30
            case "t": shift = 40
            default: throw .malformed(text)
            }
            body = body.dropLast()
        }
        guard !body.isEmpty, body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              body.filter({ $0 == "." }).count <= 1, body != "." else { throw .malformed(text) }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard let whole = UInt64(parts[0].isEmpty ? "0" : String(parts[0])) else { throw .tooLarge(text) }
        let (high, overflow) = whole.multipliedReportingOverflow(by: 1 << shift)
        if overflow { throw .tooLarge(text) }
        var result = high
        if parts.count == 2, !parts[1].isEmpty {
            // Fractions only make sense with a suffix (1.5G); exact integer arithmetic, truncated.
            let digits = parts[1].prefix(9)
            guard let frac = UInt64(digits) else { throw .malformed(text) }
            var scale: UInt64 = 1
            for _ in 0..<digits.count { scale *= 10 }
            result += (frac << shift) / scale
        }
        return result
    }

    /// Formats bytes the way a person reads them: `1.0G`, `512M`, `4.0K`, `100B`.
    public static func format(_ bytes: UInt64) -> String {
        let units: [(UInt64, String)] = [(1 << 40, "T"), (1 << 30, "G"), (1 << 20, "M"), (1 << 10, "K")]
        for (unit, name) in units where bytes >= unit {
            let tenths = bytes / unit * 10 + ((bytes % unit) * 10 + unit / 2) / unit
            if tenths % 10 == 0 { return "\(tenths / 10)\(name)" }
            return "\(tenths / 10).\(tenths % 10)\(name)"
        }
        return "\(bytes)B"
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs (no Foundation needed).
    package func trimmingSpaces() -> Substring {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return s
    }
}
