/// A growable byte buffer that event lines are printed into, with the few number formats the
/// kernel's trace output needs, written without building a `String`.
///
/// # Invariants
/// `base` holds `capacity` bytes, of which `count` are written; `count <= capacity`.
struct TextBuffer: ~Copyable {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var capacity: Int
    var count = 0

    init(capacity: Int) {
        self.capacity = capacity
        base = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
    }

    deinit { base.deallocate() }

    /// The written bytes.
    var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: base, count: count) }

    /// Makes room for `n` more bytes.
    mutating func reserve(_ n: Int) {
        guard capacity - count < n else { return }
        let bigger = max(capacity * 2, count + n)
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: bigger)
        b.update(from: base, count: count)
        base.deallocate()
        base = b
        capacity = bigger
    }

    @inline(__always) mutating func append(_ byte: UInt8) {
        if count == capacity { reserve(1) }
        base[count] = byte
        count += 1
    }

    mutating func append(_ raw: UnsafeRawBufferPointer) {
        guard let p = raw.baseAddress, raw.count > 0 else { return }
        reserve(raw.count)
        (base + count).update(from: p.assumingMemoryBound(to: UInt8.self), count: raw.count)
        count += raw.count
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { append($0) }
    }

    mutating func append(_ text: StaticString) {
        append(UnsafeRawBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    /// `n` copies of `byte`.
    mutating func pad(_ byte: UInt8, _ n: Int) {
        guard n > 0 else { return }
        reserve(n)
        (base + count).update(repeating: byte, count: n)
        count += n
    }

    /// The decimal digits of `v`, at least `minDigits` of them (zero-padded).
    mutating func appendDecimal(_ v: UInt64, minDigits: Int = 1) {
        reserve(24)
        var digits = 1, t = v
        while t >= 10 { t /= 10; digits += 1 }
        let width = max(digits, minDigits)
        var i = count + width - 1, x = v
        for _ in 0..<digits { base[i] = UInt8(48 + x % 10); x /= 10; i -= 1 }
        while i >= count { base[i] = 48; i -= 1 }
        count += width
    }

    /// The hex digits of `v` (lowercase unless `upper`), at least `minDigits` of them.
    mutating func appendHex(_ v: UInt64, minDigits: Int = 1, upper: Bool = false) {
        reserve(24)
        let digits = max(1, (64 - v.leadingZeroBitCount + 3) / 4)
        let width = max(digits, minDigits)
        let alpha: UInt8 = upper ? 55 : 87
        var i = count + width - 1, x = v
        for _ in 0..<digits {
            let d = UInt8(x & 15)
            base[i] = d < 10 ? 48 + d : alpha + d
            x >>= 4
            i -= 1
        }
        while i >= count { base[i] = 48; i -= 1 }
        count += width
    }

    /// Lowercase hex digits of `v` appended to an array (for tables built once).
    static func appendHex(_ v: UInt64, to out: inout [UInt8]) {
        let digits = max(1, (64 - v.leadingZeroBitCount + 3) / 4)
        for k in stride(from: digits - 1, through: 0, by: -1) {
            let d = UInt8((v >> (UInt64(k) * 4)) & 15)
            out.append(d < 10 ? 48 + d : 87 + d)
        }
    }

    /// Drops everything written.
    mutating func removeAll() { count = 0 }
}
