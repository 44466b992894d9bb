/// Field reading with the replay's error messages.
extension ByteLine {
    /// Whether `text` is at `i`; moves `i` past it when it is.
    @inline(__always) func expect(_ text: StaticString, at i: inout Int) -> Bool {
        let n = text.utf8CodeUnitCount, p = text.utf8Start
        guard i + n <= bytes.count, let base = bytes.baseAddress else { return false }
        // Eight bytes at a time (the keys are 5 to 13 bytes long), then the rest.
        var k = 0
        while k + 8 <= n {
            guard UnsafeRawPointer(base + i + k).loadUnaligned(as: UInt64.self) == UnsafeRawPointer(p + k).loadUnaligned(as: UInt64.self) else {
                return false
            }
            k += 8
        }
        while k < n {
            guard base[i + k] == p[k] else { return false }
            k += 1
        }
        i += n
        return true
    }

    /// Whether the hex pointer at `i` (bare or `0x`, 1 to 16 digits, up to the next space or the
    /// end) is NULL, without reading its value; moves `i` past it. Nil, with `i` anywhere, when
    /// the token is not such a pointer.
    @inline(__always) func isNullPointer(at i: inout Int) -> Bool? {
        let n = bytes.count
        // The kernel's own layout, sixteen digits and a space: two words compared, no digit read
        // (a token that is not hex is not NULL, as the general path reads it).
        if i + 17 <= n, bytes[i + 16] == ByteLine.space, bytes[i + 1] != UInt8(ascii: "x"), let base = bytes.baseAddress {
            let zeros: UInt64 = 0x3030_3030_3030_3030
            let null = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) == zeros
                && UnsafeRawPointer(base + i + 8).loadUnaligned(as: UInt64.self) == zeros
            i += 16
            return null
        }
        if i + 1 < n && bytes[i] == 48 && bytes[i + 1] == UInt8(ascii: "x") { i += 2 }
        let start = i
        var zero = true
        while i < n && bytes[i] != ByteLine.space {
            let c = bytes[i]
            guard c &- 48 < 10 || (c | 0x20) &- 97 < 6 else { return nil }
            zero = zero && c == 48
            i += 1
        }
        return i > start && i - start <= 16 ? zero : nil
    }

    /// Bare hex digits up to the next space or the end (1 to 16 of them), or nil.
    @inline(__always) func hexValue(at i: inout Int) -> UInt64? {
        var v: UInt64 = 0
        let n = bytes.count
        // trace-cmd and perf print pointers with 0x.
        if i + 1 < n && bytes[i] == 48 && bytes[i + 1] == UInt8(ascii: "x") { i += 2 }
        // A kernel pointer as ftrace prints it: sixteen digits, then a space or the end. Read
        // eight at a time (each pointer took 16 turns of the loop below, for every slab event).
        if i + 16 <= n, i + 16 == n || bytes[i + 16] == ByteLine.space, let base = bytes.baseAddress,
           let high = ByteLine.hexWord(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)),
           let low = ByteLine.hexWord(UnsafeRawPointer(base + i + 8).loadUnaligned(as: UInt64.self)) {
            i += 16
            return high << 32 | low
        }
        let start = i
        while i < n && bytes[i] != ByteLine.space {
            let c = bytes[i], lower = c | 0x20   // folds A-F to a-f
            let digit: UInt8
            if c &- 48 < 10 { digit = c &- 48 } else if lower &- 97 < 6 { digit = lower &- 87 } else { return nil }
            v = v << 4 | UInt64(digit)
            i += 1
        }
        return i > start && i - start <= 16 ? v : nil
    }

    /// The value of eight hex digits (either case) loaded little-endian from a line, the first
    /// digit the most significant; nil when any byte is not a hex digit.
    @inline(__always) static func hexWord(_ w: UInt64) -> UInt64? {
        let ones: UInt64 = 0x0101_0101_0101_0101, high: UInt64 = 0x8080_8080_8080_8080
        // Every byte below 0x80, then: a digit is 0x30...0x39, a letter (folded to lower case) 0x61...0x66.
        guard w & high == 0 else { return nil }
        // A byte's high bit after adding 0x80 - c is set when the byte is at least c (no carry: all are below 0x80).
        let digit = (w &+ ones &* (0x80 - 0x30)) & ~(w &+ ones &* (0x80 - 0x3a)) & high   // 0x30 <= b < 0x3a
        let lower = w | ones &* 0x20
        let letter = (lower &+ ones &* (0x80 - 0x61)) & ~(lower &+ ones &* (0x80 - 0x67)) & high   // 0x61 <= b < 0x67
        guard (digit | letter) == high else { return nil }
        // A byte's value: its low nibble, plus 9 for a letter (bit 6 set).
        let nibbles = (w & (ones &* 0x0f)) &+ ((w >> 6) & ones) &* 9
        // Pack: byte k holds digit k (k = 0 first). Pairs, then quads, then the eight.
        let pairs = ((nibbles << 4) | (nibbles >> 8)) & 0x00ff_00ff_00ff_00ff
        let quads = ((pairs << 8) | (pairs >> 16)) & 0x0000_ffff_0000_ffff
        return ((quads << 16) | (quads >> 32)) & 0xffff_ffff
    }

    /// Decimal digits up to the next space or the end (1 to 18 of them, so no overflow), or nil.
    @inline(__always) func decimalValue(at i: inout Int) -> Int? {
        var v = 0
        let start = i, n = bytes.count
        while i < n && bytes[i] != ByteLine.space {
            let digit = bytes[i] &- 48
            guard digit < 10 else { return nil }
            v = v &* 10 &+ Int(digit)
            i += 1
        }
        return i > start && i - start <= 18 ? v : nil
    }

    func fail(_ file: String, _ line: Int, _ what: String) -> TraceInputError {
        TraceInputError(file: file, line: line, message: "expected \(what) in \(eventName), found \"\(bodyText.prefix(60))\"")
    }

    mutating func number(_ key: StaticString, file: String, line: Int) throws(TraceInputError) -> UInt64 {
        guard let r = field(key) else { throw fail(file, line, "\(key)=") }
        guard let n = number(r) else {
            throw TraceInputError(file: file, line: line, message: "expected a number for \(key)=, found \"\(text(r).prefix(40))\"")
        }
        return n
    }

    /// A non-negative count that fits an Int (sizes, orders); anything else is malformed.
    mutating func count(_ key: StaticString, file: String, line: Int, max limit: Int = Int.max / 4) throws(TraceInputError) -> Int {
        let raw = try number(key, file: file, line: line)
        guard let n = Int(exactly: raw), n >= 0, n <= limit else {
            throw TraceInputError(file: file, line: line, message: "expected \(key)= between 0 and \(limit), found \(Int64(bitPattern: raw))")
        }
        return n
    }

    mutating func pointer(_ key: StaticString, file: String, line: Int) throws(TraceInputError) -> UInt64 {
        guard let r = field(key), let n = pointer(r) else { throw fail(file, line, "\(key)=<hex pointer>") }
        return n
    }
}
