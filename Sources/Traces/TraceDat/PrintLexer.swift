/// Splits a print format (`"fmt", args`) into C tokens: numbers with their suffixes, string and
/// character literals with escapes, identifiers, and punctuation (`->`, `<<`, `&&`, ... first).
enum PrintLexer {
    private static let twoCharacter: Set<String> = ["->", "<<", ">>", "<=", ">=", "==", "!=", "&&", "||"]

    static func tokens(_ text: String) throws(PrintFormatError) -> [PrintToken] {
        let b = Array(text.utf8)
        var out: [PrintToken] = []
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == 32 || c == 9 || c == 10 || c == 13 { i += 1; continue }
            if c == 34 {   // "
                var s: [UInt8] = []
                i = try literal(b, i + 1, closing: 34, into: &s)
                // Adjacent literals join, as in C.
                if case .string(let previous)? = out.last { out[out.count - 1] = .string(previous + s) } else { out.append(.string(s)) }
            } else if c == 39 {   // '
                var s: [UInt8] = []
                i = try literal(b, i + 1, closing: 39, into: &s)
                out.append(.number(UInt64(s.first ?? 0), unsigned: false))
            } else if isDigit(c) {
                let (token, next) = try number(b, i)
                out.append(token)
                i = next
            } else if isIdentifierStart(c) {
                var j = i
                while j < b.count && (isIdentifierStart(b[j]) || isDigit(b[j])) { j += 1 }
                out.append(.identifier(String(decoding: b[i..<j], as: UTF8.self)))
                i = j
            } else {
                let two = i + 1 < b.count ? String(decoding: b[i...i + 1], as: UTF8.self) : ""
                if twoCharacter.contains(two) {
                    out.append(.punctuation(two))
                    i += 2
                } else {
                    out.append(.punctuation(String(UnicodeScalar(c))))
                    i += 1
                }
            }
        }
        return out
    }

    static func isDigit(_ c: UInt8) -> Bool { c &- 48 < 10 }
    static func isIdentifierStart(_ c: UInt8) -> Bool { (c | 0x20) &- 97 < 26 || c == 95 }

    /// A decimal, octal or hex number and its `u`/`l` suffixes.
    private static func number(_ b: [UInt8], _ start: Int) throws(PrintFormatError) -> (PrintToken, Int) {
        var i = start, radix: UInt64 = 10
        if b[i] == 48 && i + 1 < b.count && (b[i + 1] | 0x20) == 120 { radix = 16; i += 2 } else if b[i] == 48 { radix = 8 }
        var v: UInt64 = 0
        while i < b.count {
            let c = b[i] | 0x20
            let d: UInt64
            if isDigit(b[i]) { d = UInt64(b[i] - 48) } else if radix == 16 && c &- 97 < 6 { d = UInt64(c - 87) } else { break }
            guard d < radix else { throw PrintFormatError("a digit \(d) in a base-\(radix) number") }
            v = v &* radix &+ d
            i += 1
        }
        var unsigned = false
        while i < b.count, b[i] | 0x20 == 117 || b[i] | 0x20 == 108 {   // u, l
            if b[i] | 0x20 == 117 { unsigned = true }
            i += 1
        }
        return (.number(v, unsigned: unsigned), i)
    }

    /// A string or character literal's bytes with C escapes resolved; returns the index after it.
    private static func literal(_ b: [UInt8], _ start: Int, closing: UInt8, into s: inout [UInt8]) throws(PrintFormatError) -> Int {
        var i = start
        while i < b.count && b[i] != closing {
            guard b[i] == 92, i + 1 < b.count else { s.append(b[i]); i += 1; continue }   // backslash
            i += 1
            switch b[i] {
            case 110: s.append(10)   // \n
            case 116: s.append(9)    // \t
            case 114: s.append(13)   // \r
            case 48...55:            // octal
                var v = 0, n = 0
                while n < 3 && i < b.count && b[i] >= 48 && b[i] <= 55 { v = v * 8 + Int(b[i] - 48); i += 1; n += 1 }
                s.append(UInt8(truncatingIfNeeded: v))
                continue
            case 120:                // \xHH
                var v = 0
                i += 1
                while i < b.count, let d = hex(b[i]) { v = v * 16 + d; i += 1 }
                s.append(UInt8(truncatingIfNeeded: v))
                continue
            default: s.append(b[i])  // \\ \" \' and the rest as themselves
            }
            i += 1
        }
        guard i < b.count else { throw PrintFormatError("an unterminated literal") }
        return i + 1
    }

    private static func hex(_ c: UInt8) -> Int? {
        if isDigit(c) { return Int(c - 48) }
        let l = c | 0x20
        return l &- 97 < 6 ? Int(l - 87) : nil
    }
}
