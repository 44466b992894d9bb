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
    @inline(__always) mutating func reserve(_ n: Int) {
        if capacity - count < n { grow(n) }
    }

    private mutating func grow(_ n: Int) {
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

    @inline(__always) mutating func append(_ raw: UnsafeRawBufferPointer) {
        let n = raw.count
        guard let src = raw.baseAddress, n > 0 else { return }
        reserve(n)
        let dst = UnsafeMutableRawPointer(base + count)
        // Most pieces of a line are short: two overlapping 8-byte moves beat a call to memmove.
        if n >= 8 && n <= 16 {
            dst.storeBytes(of: src.loadUnaligned(as: UInt64.self), as: UInt64.self)
            (dst + n - 8).storeBytes(of: (src + n - 8).loadUnaligned(as: UInt64.self), as: UInt64.self)
        } else if n < 8 {
            for i in 0..<n { dst.storeBytes(of: src.load(fromByteOffset: i, as: UInt8.self), toByteOffset: i, as: UInt8.self) }
        } else {
            dst.copyMemory(from: src, byteCount: n)
        }
        count += n
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
    @inline(__always) mutating func appendDecimal(_ v: UInt64, minDigits: Int = 1) {
        if v < 10 && minDigits <= 1 {
            append(48 + UInt8(v))
            return
        }
        reserve(24)
        var digits = 1, t = v
        while t >= 100 { t /= 100; digits += 2 }
        if t >= 10 { digits += 1 }
        let width = max(digits, minDigits)
        var i = count + width, x = v
        // Two digits per division, from a table of the pairs "00" to "99".
        let pairs = TextBuffer.pairs.utf8Start
        while x >= 100 {
            let q = x / 100
            let r = Int(x &- q &* 100) &* 2
            i -= 2
            base[i] = pairs[r]
            base[i + 1] = pairs[r + 1]
            x = q
        }
        if x >= 10 {
            i -= 2
            base[i] = pairs[Int(x) * 2]
            base[i + 1] = pairs[Int(x) * 2 + 1]
        } else {
            i -= 1
            base[i] = 48 + UInt8(x)
        }
        while i > count { i -= 1; base[i] = 48 }
        count += width
    }

    private static let pairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """

    /// The hex digits of `v` (lowercase unless `upper`), at least `minDigits` of them.
    @inline(__always) mutating func appendHex(_ v: UInt64, minDigits: Int = 1, upper: Bool = false) {
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
