/// Byte-level parsing of ftrace lines, for speed: no `String` is built for a line unless an error
/// message needs one.
struct ByteLine {
    let bytes: UnsafeBufferPointer<UInt8>
    var cpu = -1
    var pid = -1
    var eventStart = 0, eventEnd = 0
    var bodyStart = 0
    /// The body's `key=value` tokens, found in one pass: key start, '=' position, value end.
    var tokens = InlineArray<16, (Int32, Int32, Int32)>(repeating: (0, 0, 0))
    var tokenCount = 0

    enum Kind { case comment, lost(Int), event, invalid }

    static let space = UInt8(ascii: " "), colon = UInt8(ascii: ":"), open = UInt8(ascii: "["), close = UInt8(ascii: "]")
    static let dash = UInt8(ascii: "-"), equals = UInt8(ascii: "="), hash = UInt8(ascii: "#")

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Splits the line; fills the offsets for events.
    mutating func parse() -> Kind {
        let n = bytes.count
        if n == 0 || bytes[0] == ByteLine.hash { return .comment }
        if n > 4 && bytes[0] == UInt8(ascii: "C") && bytes[1] == UInt8(ascii: "P") && bytes[2] == UInt8(ascii: "U") && bytes[3] == ByteLine.colon {
            // CPU:N [LOST M EVENTS]
            var i = 4
            while i < n && bytes[i] != ByteLine.open { i += 1 }
            if i + 6 < n && bytes[i + 1] == UInt8(ascii: "L") {
                var j = i + 6, m = 0
                while j < n, let d = ByteLine.digit(bytes[j]) {
                    guard m < Int.max / 20 else { return .invalid }
                    m = m * 10 + d
                    j += 1
                }
                return .lost(m)
            }
            return .invalid
        }
        var i = 0
        while i < n {
            if bytes[i] == ByteLine.open {
                var j = i + 1, value = 0, digits = 0
                while j < n, let d = ByteLine.digit(bytes[j]) {
                    guard digits < 9 else { return .invalid }   // no machine has a billion CPUs
                    value = value * 10 + d
                    j += 1
                    digits += 1
                }
                if digits > 0 && j < n && bytes[j] == ByteLine.close {
                    cpu = value
                    // pid: digits after the last '-' before the bracket (skipping "(tgid)" and spaces).
                    var k = i - 1
                    while k >= 0 && bytes[k] == ByteLine.space { k -= 1 }
                    if k >= 0 && bytes[k] == UInt8(ascii: ")") {
                        while k >= 0 && bytes[k] != UInt8(ascii: "(") { k -= 1 }
                        k -= 1
                        while k >= 0 && bytes[k] == ByteLine.space { k -= 1 }
                    }
                    var end = k + 1
                    while k >= 0 && ByteLine.digit(bytes[k]) != nil { k -= 1 }
                    if k >= 0 && bytes[k] == ByteLine.dash {
                        var p = 0
                        for q in (k + 1)..<end where p < Int.max / 20 { p = p * 10 + Int(bytes[q] &- 48) }
                        pid = p
                    }
                    end = j + 1
                    // flags and timestamp, then ": EVENT: BODY"
                    var c = end
                    while c < n && bytes[c] != ByteLine.colon { c += 1 }
                    c += 1
                    while c < n && bytes[c] == ByteLine.space { c += 1 }
                    eventStart = c
                    while c < n && bytes[c] != ByteLine.colon && bytes[c] != ByteLine.space { c += 1 }
                    guard c < n, bytes[c] == ByteLine.colon, c > eventStart else { return .invalid }
                    eventEnd = c
                    c += 1
                    while c < n && bytes[c] == ByteLine.space { c += 1 }
                    bodyStart = c
                    tokenize()
                    return .event
                }
            }
            i += 1
        }
        return .invalid
    }

    @inline(__always) static func digit(_ b: UInt8) -> Int? { b >= 48 && b <= 57 ? Int(b - 48) : nil }

    /// Whether the event name equals `name`.
    func eventIs(_ name: StaticString) -> Bool {
        let len = eventEnd - eventStart
        guard len == name.utf8CodeUnitCount else { return false }
        let p = name.utf8Start
        for k in 0..<len where bytes[eventStart + k] != p[k] { return false }
        return true
    }

    /// The event name as a string (for counting and messages).
    var eventName: String { String(decoding: UnsafeBufferPointer(rebasing: bytes[eventStart..<eventEnd]), as: UTF8.self) }

    /// The body as a string (for messages).
    var bodyText: String { String(decoding: UnsafeBufferPointer(rebasing: bytes[bodyStart..<bytes.count]), as: UTF8.self) }

    /// Splits the body into `key=value` tokens once (the first 16; events have fewer).
    mutating func tokenize() {
        let n = bytes.count
        var i = bodyStart
        tokenCount = 0
        while i < n && tokenCount < 16 {
            let start = i
            var eq = -1
            while i < n && bytes[i] != ByteLine.space {
                if eq < 0 && bytes[i] == ByteLine.equals { eq = i }
                i += 1
            }
            if eq > start { tokens[tokenCount] = (Int32(start), Int32(eq), Int32(i)); tokenCount += 1 }
            while i < n && bytes[i] == ByteLine.space { i += 1 }
        }
    }

    /// The value range of `key=` in the body.
    func field(_ key: StaticString) -> Range<Int>? {
        let klen = key.utf8CodeUnitCount, kp = key.utf8Start
        for t in 0..<tokenCount {
            let (start, eq, end) = tokens[t]
            guard Int(eq - start) == klen else { continue }
            var match = true
            for k in 0..<klen where bytes[Int(start) + k] != kp[k] { match = false; break }
            if match { return (Int(eq) + 1)..<Int(end) }
        }
        return nil
    }

    /// A decimal or `0x` hex number.
    func number(_ r: Range<Int>) -> UInt64? {
        var i = r.lowerBound
        if r.count > 2 && bytes[i] == 48 && (bytes[i + 1] == UInt8(ascii: "x") || bytes[i + 1] == UInt8(ascii: "X")) {
            return hex(i + 2..<r.upperBound)
        }
        var negative = false
        if i < r.upperBound && bytes[i] == ByteLine.dash { negative = true; i += 1 }
        guard i < r.upperBound else { return nil }
        var v: UInt64 = 0
        while i < r.upperBound {
            guard let d = ByteLine.digit(bytes[i]) else { return nil }
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(UInt64(d))
            if o1 || o2 { return nil }
            v = a
            i += 1
        }
        return negative ? 0 &- v : v
    }

    /// Bare hex digits.
    func hex(_ r: Range<Int>) -> UInt64? {
        guard !r.isEmpty, r.count <= 16 else { return nil }
        var v: UInt64 = 0
        for i in r {
            let b = bytes[i]
            let d: UInt8
            switch b {
            case 48...57: d = b - 48
            case 97...102: d = b - 87
            case 65...70: d = b - 55
            default: return nil
            }
            v = v << 4 | UInt64(d)
        }
        return v
    }

    /// A pointer: bare hex, or `0x` hex.
    func pointer(_ r: Range<Int>) -> UInt64? {
        if r.count > 2 && bytes[r.lowerBound] == 48 && bytes[r.lowerBound + 1] == UInt8(ascii: "x") { return hex(r.lowerBound + 2..<r.upperBound) }
        return hex(r)
    }

    /// FNV-1a of a range, to key small caches of flag strings and call sites.
    func hash(_ r: Range<Int>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for i in r { h = (h ^ UInt64(bytes[i])) &* 0x100_0000_01b3 }
        return h
    }

    /// The text of a range.
    func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self) }
}
