/// Byte-level parsing of ftrace lines, for speed: no `String` is built for a line unless an error
/// message needs one.
struct ByteLine {
    let bytes: UnsafeBufferPointer<UInt8>
    var cpu = -1
    /// The task's pid: read by ``readPid()``, only for the events that need it (the layout of
    /// trace-cmd's `-l` reads it while finding the CPU).
    var pid = -1
    /// Where the CPU's `[` is (-1: not found yet), for ``readPid()``.
    var bracket = -1
    /// Whether ``parse()`` reads the timestamp (a replay that reads no time skips it: it is a
    /// tenth of the reading).
    var readsTimestamp = true
    var eventStart = 0, eventEnd = 0
    var bodyStart = 0
    /// The line's timestamp in nanoseconds (`SECONDS.FRACTION:` before the event), -1 when it has none.
    var timestamp: Int64 = -1
    /// Where the next field lookup starts: fields are printed in a fixed order, so asking for them in
    /// that order finds each one at the cursor and the body is read once.
    var cursor = 0
    /// Whether the event was named with its group (`kmem:kmalloc:`), as `perf script` prints it:
    /// then a call chain may follow (`-g`).
    var grouped = false

    /// What a line is; `frame` is one entry of `perf script -g`'s call chain (a tab, an address, a symbol).
    enum Kind: Equatable { case comment, lost(Int), event, frame, invalid }

    static let space = UInt8(ascii: " "), colon = UInt8(ascii: ":"), open = UInt8(ascii: "["), close = UInt8(ascii: "]")
    static let dash = UInt8(ascii: "-"), equals = UInt8(ascii: "="), hash = UInt8(ascii: "#")

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// Splits the line; fills the offsets for events.
    mutating func parse() -> Kind {
        let n = bytes.count
        if n == 0 || bytes[0] == ByteLine.hash { return .comment }
        // perf script -g: the call chain of the event above, one frame a line.
        if bytes[0] == UInt8(ascii: "\t") { return .frame }
        if n > 4 && bytes[0] == UInt8(ascii: "C") && bytes[1] == UInt8(ascii: "P") && bytes[2] == UInt8(ascii: "U") && bytes[3] == ByteLine.colon {
            return lostEvents()
        }
        // trace-cmd report's first line, `cpus=N`.
        if n > 5 && bytes[0] == UInt8(ascii: "c") && bytes[1] == UInt8(ascii: "p") && bytes[2] == UInt8(ascii: "u")
            && bytes[3] == UInt8(ascii: "s") && bytes[4] == ByteLine.equals { return .comment }
        var i = find(ByteLine.open, from: 0)
        while i < n {
            var j = i + 1, value = 0, digits = 0
            while j < n, let d = ByteLine.digit(bytes[j]) {
                guard digits < 9 else { return .invalid }   // no machine has a billion CPUs
                // Nine digits at most, so no overflow to check (this runs for every line).
                value = value &* 10 &+ d
                j &+= 1
                digits &+= 1
            }
            if digits > 0 && j < n && bytes[j] == ByteLine.close {
                cpu = value
                bracket = i
                let end = j + 1
                // flags and timestamp, then ": EVENT: BODY"
                return eventAndBody(after: end)
            }
            i = find(ByteLine.open, from: i + 1)
        }
        return latencyLayout()
    }

    /// trace-cmd report -l: `comm-pid  CPUflags  TIME: EVENT: BODY`, the CPU the leading digits of
    /// the latency column (`1.....`), no brackets.
    mutating func latencyLayout() -> Kind {
        let n = bytes.count
        var i = 0
        while i < n && bytes[i] == ByteLine.space { i += 1 }
        let commEnd = nextSpace(i)
        guard commEnd < n, let p = pid(before: commEnd + 1) else { return .invalid }
        var j = commEnd
        while j < n && bytes[j] == ByteLine.space { j += 1 }
        var value = 0, digits = 0
        while j < n, digits < 9, let d = ByteLine.digit(bytes[j]) { value = value * 10 + d; j += 1; digits += 1 }
        guard digits > 0, j < n, bytes[j] != ByteLine.space else { return .invalid }
        (cpu, pid) = (value, p)
        return eventAndBody(after: nextSpace(j))
    }

    /// From `from` on: the timestamp's colon, then `EVENT: BODY` (perf script's `group:event:` too).
    @inline(__always)
    mutating func eventAndBody(after from: Int) -> Kind {
        let n = bytes.count
        var c = find(ByteLine.colon, from: from)
        if readsTimestamp { timestamp = timestamp(endingAt: c) }
        c += 1
        while c < n && bytes[c] == ByteLine.space { c += 1 }
        eventStart = c
        // The name ends at a colon with no space before it.
        c = find(ByteLine.colon, or: ByteLine.space, from: c)
        guard c < n, c > eventStart, bytes[c] == ByteLine.colon else { return .invalid }
        if c + 1 < n && bytes[c + 1] != ByteLine.space {
            // perf script names events with their group, `kmem:kmalloc:`: skip the group.
            grouped = true
            eventStart = c + 1
            c = find(ByteLine.colon, or: ByteLine.space, from: eventStart)
            guard c < n, c > eventStart, bytes[c] == ByteLine.colon else { return .invalid }
        }
        eventEnd = c
        c += 1
        while c < n && bytes[c] == ByteLine.space { c += 1 }
        bodyStart = c
        cursor = c
        return .event
    }

    /// The `SECONDS.FRACTION` token ending just before `end` in nanoseconds (perf's nine digits,
    /// ftrace's six), or -1 when the token is not one.
    @inline(__always)
    func timestamp(endingAt end: Int) -> Int64 {
        let dot = UInt8(ascii: ".")
        // Right to left: the fraction's digits, the dot, the seconds' digits (one pass, no
        // optional digits: this runs for every line).
        var k = end - 1
        while k >= 0 && bytes[k] &- 48 < 10 { k -= 1 }
        var fraction: Int64 = 0
        var secondsEnd = end
        if k >= 0 && bytes[k] == dot {
            secondsEnd = k
            var i = k + 1, digits = 0
            while i < end && digits < 9 { fraction = fraction &* 10 &+ Int64(bytes[i] &- 48); i += 1; digits += 1 }
            while digits < 9 { fraction &*= 10; digits += 1 }
            k -= 1
            while k >= 0 && bytes[k] &- 48 < 10 { k -= 1 }
            if k >= 0 && bytes[k] == dot { return -1 }
        } else if k + 1 >= end {
            return -1
        }
        var seconds: Int64 = 0
        for i in (k + 1)..<secondsEnd {
            guard seconds < Int64.max / 20_000_000_000 else { return -1 }
            seconds = seconds * 10 + Int64(bytes[i] &- 48)
        }
        return seconds * 1_000_000_000 + fraction
    }

    @inline(__always) static func digit(_ b: UInt8) -> Int? { b >= 48 && b <= 57 ? Int(b - 48) : nil }

    /// `CPU:N [LOST M EVENTS]`, with the count saturating at `Int.max` (a count past it is still a loss).
    func lostEvents() -> Kind {
        let n = bytes.count
        var i = 4
        while i < n && bytes[i] != ByteLine.open { i += 1 }
        guard i + 6 < n && bytes[i + 1] == UInt8(ascii: "L") else { return .invalid }
        var j = i + 6, m = 0
        while j < n, let d = ByteLine.digit(bytes[j]) {
            m = m > (Int.max - d) / 10 ? Int.max : m * 10 + d
            j += 1
        }
        return .lost(m)
    }

    /// Reads the pid before the CPU bracket, if ``parse()`` found one and the pid is there.
    mutating func readPid() {
        if bracket >= 0, let p = pid(before: bracket) { pid = p }
    }

    /// The pid: digits after the last '-' before the CPU bracket at `bracket` (skipping "(tgid)" and spaces).
    @inline(__always)
    func pid(before bracket: Int) -> Int? {
        var k = bracket - 1
        while k >= 0 && bytes[k] == ByteLine.space { k -= 1 }
        if k >= 0 && bytes[k] == UInt8(ascii: ")") {
            while k >= 0 && bytes[k] != UInt8(ascii: "(") { k -= 1 }
            k -= 1
            while k >= 0 && bytes[k] == ByteLine.space { k -= 1 }
        }
        let end = k + 1
        while k >= 0 && ByteLine.digit(bytes[k]) != nil { k -= 1 }
        // ftrace's `comm-pid`, perf script's `comm pid` or `comm pid/tid` (the tid is the task).
        guard k >= 0, k + 1 < end, bytes[k] == ByteLine.dash || bytes[k] == ByteLine.space || bytes[k] == UInt8(ascii: "/") else { return nil }
        var p = 0
        for q in (k + 1)..<end where p < Int.max / 20 { p = p * 10 + Int(bytes[q] &- 48) }
        return p
    }

    /// The event name as a string (for counting and messages).
    var eventName: String { String(decoding: UnsafeBufferPointer(rebasing: bytes[eventStart..<eventEnd]), as: UTF8.self) }

    /// The body as a string (for messages).
    var bodyText: String { String(decoding: UnsafeBufferPointer(rebasing: bytes[bodyStart..<bytes.count]), as: UTF8.self) }

    /// The index of the first `byte` at or after `i`, or the line's end.
    @inline(__always) func find(_ byte: UInt8, from i: Int) -> Int {
        var i = i
        let n = bytes.count
        if let base = bytes.baseAddress {
            // Sixteen bytes at a time with one vector compare: a lane that matches is all ones, so
            // the first set byte of the two halves is the first match.
            let lanes = SIMD16<UInt8>(repeating: byte)
            while i + 16 <= n {
                let match = unsafeBitCast(UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<UInt8>.self) .== lanes, to: SIMD2<UInt64>.self)
                if match[0] != 0 { return i + match[0].trailingZeroBitCount / 8 }
                if match[1] != 0 { return i + 8 + match[1].trailingZeroBitCount / 8 }
                i += 16
            }
            // Then eight at a time: a zero byte in `w ^ pattern` is a match (the lowest set high
            // bit of the classic has-zero-byte test is exact for the first match).
            let pattern = UInt64(byte) &* 0x0101_0101_0101_0101
            while i + 8 <= n {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) ^ pattern
                let found = (w &- 0x0101_0101_0101_0101) & ~w & 0x8080_8080_8080_8080
                if found != 0 { return i + found.trailingZeroBitCount / 8 }
                i += 8
            }
        }
        while i < n && bytes[i] != byte { i += 1 }
        return i
    }

    /// The index of the first `byte` or `other` at or after `i`, or the line's end.
    @inline(__always) func find(_ byte: UInt8, or other: UInt8, from i: Int) -> Int {
        var i = i
        let n = bytes.count
        if let base = bytes.baseAddress {
            // As in find(_:from:), for two bytes: the lowest match of either test is exact.
            let lanes1 = SIMD16<UInt8>(repeating: byte), lanes2 = SIMD16<UInt8>(repeating: other)
            while i + 16 <= n {
                let v = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD16<UInt8>.self)
                let match = unsafeBitCast((v .== lanes1) .| (v .== lanes2), to: SIMD2<UInt64>.self)
                if match[0] != 0 { return i + match[0].trailingZeroBitCount / 8 }
                if match[1] != 0 { return i + 8 + match[1].trailingZeroBitCount / 8 }
                i += 16
            }
            let p1 = UInt64(byte) &* 0x0101_0101_0101_0101, p2 = UInt64(other) &* 0x0101_0101_0101_0101
            while i + 8 <= n {
                let w = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                let a = w ^ p1, b = w ^ p2
                let found = ((a &- 0x0101_0101_0101_0101) & ~a | (b &- 0x0101_0101_0101_0101) & ~b) & 0x8080_8080_8080_8080
                if found != 0 { return i + found.trailingZeroBitCount / 8 }
                i += 8
            }
        }
        while i < n && bytes[i] != byte && bytes[i] != other { i += 1 }
        return i
    }

    /// The index of the first space at or after `i`, or the line's end.
    @inline(__always) func nextSpace(_ i: Int) -> Int { find(ByteLine.space, from: i) }

    /// The value range of the `key=` token among the tokens starting in `[from, to)`.
    private mutating func scan(_ key: StaticString, from: Int, to: Int) -> Range<Int>? {
        let klen = key.utf8CodeUnitCount, kp = key.utf8Start
        let n = bytes.count
        var i = from
        while i < to {
            var match = i + klen < n && bytes[i + klen] == ByteLine.equals
            if match { for k in 0..<klen where bytes[i + k] != kp[k] { match = false; break } }
            let end = nextSpace(i + (match ? klen + 1 : 0))
            var next = end
            while next < n && bytes[next] == ByteLine.space { next += 1 }
            if match {
                cursor = next
                return (i + klen + 1)..<end
            }
            i = next
        }
        return nil
    }

    /// The value range of `key=` in the body: searched from the cursor to the end, then from the start.
    mutating func field(_ key: StaticString) -> Range<Int>? {
        let from = cursor
        if let r = scan(key, from: from, to: bytes.count) { return r }
        return from > bodyStart ? scan(key, from: bodyStart, to: from) : nil
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
        // perf prints NULL as `(nil)`.
        if r.count == 5 && bytes[r.lowerBound] == UInt8(ascii: "(") && bytes[r.lowerBound + 1] == UInt8(ascii: "n") { return 0 }
        return hex(r)
    }

    /// A 64-bit hash of a range (FNV-1a over 8-byte words), to key small caches of flag strings and
    /// call sites.
    func hash(_ r: Range<Int>) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        var i = r.lowerBound
        if let base = bytes.baseAddress, r.count >= 8 {
            func mix(_ w: UInt64) {
                h = (h ^ w) &* 0x100_0000_01b3
                h ^= h >> 29
            }
            while i + 8 <= r.upperBound {
                mix(UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self))
                i += 8
            }
            // The last partial word: the range's last eight bytes, overlapping the words before.
            if i < r.upperBound { mix(UnsafeRawPointer(base + r.upperBound - 8).loadUnaligned(as: UInt64.self)) }
        } else {
            while i < r.upperBound { h = (h ^ UInt64(bytes[i])) &* 0x100_0000_01b3; i += 1 }
        }
        return h ^ UInt64(r.count) &* 0x9E37_79B9_7F4A_7C15
    }

    /// The text of a range.
    func text(_ r: Range<Int>) -> String { String(decoding: UnsafeBufferPointer(rebasing: bytes[r]), as: UTF8.self) }
}
