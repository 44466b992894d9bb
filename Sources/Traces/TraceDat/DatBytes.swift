/// A bounds-checked view of some bytes of a trace.dat (the mapped file, or a section after
/// decompression), read in the file's byte order.
///
/// Every read names what it expected, so that a truncated or corrupt file becomes a
/// ``TraceInputError`` naming the file, the place and the field, never a crash.
///
/// # Invariants
/// `base` points at `count` readable bytes for as long as the owner of the memory (a
/// ``MappedFile`` or a ``DatBlob``) lives; whoever makes a `DatBytes` keeps that owner alive.
struct DatBytes {
    let base: UnsafeRawPointer
    let count: Int
    /// Numbers are big-endian (the file's header says so).
    let bigEndian: Bool
    /// The file's name, for messages.
    let file: String
    /// What these bytes are ("the file", "the kallsyms section at offset 3392"), for messages.
    let place: String

    /// The error for a read of `what` at `offset` that does not fit.
    func truncated(_ what: String, at offset: Int) -> TraceInputError {
        TraceInputError(file: file, line: nil, message: "expected \(what) at byte \(offset) of \(place), found the end of it "
            + "(\(count) bytes): truncated or corrupt trace.dat")
    }

    /// An error about the contents, not the length.
    func corrupt(_ message: String) -> TraceInputError {
        TraceInputError(file: file, line: nil, message: "\(message) (in \(place)): corrupt trace.dat")
    }

    /// Throws unless `n` bytes at `offset` are inside.
    @inline(__always) func require(_ offset: Int, _ n: Int, _ what: @autoclosure () -> String) throws(TraceInputError) {
        guard offset >= 0, n >= 0, offset <= count - n else { throw truncated(what(), at: offset) }
    }

    /// A 16-bit number at `offset`, unchecked.
    @inline(__always) func load16(_ offset: Int) -> UInt16 {
        let v = (base + offset).loadUnaligned(as: UInt16.self)
        return bigEndian ? v.byteSwapped : v
    }

    /// A 32-bit number at `offset`, unchecked.
    @inline(__always) func load32(_ offset: Int) -> UInt32 {
        let v = (base + offset).loadUnaligned(as: UInt32.self)
        return bigEndian ? v.byteSwapped : v
    }

    /// A 64-bit number at `offset`, unchecked.
    @inline(__always) func load64(_ offset: Int) -> UInt64 {
        let v = (base + offset).loadUnaligned(as: UInt64.self)
        return bigEndian ? v.byteSwapped : v
    }

    func u16(at offset: Int, _ what: @autoclosure () -> String) throws(TraceInputError) -> UInt16 {
        try require(offset, 2, what())
        return load16(offset)
    }

    func u32(at offset: Int, _ what: @autoclosure () -> String) throws(TraceInputError) -> UInt32 {
        try require(offset, 4, what())
        return load32(offset)
    }

    func u64(at offset: Int, _ what: @autoclosure () -> String) throws(TraceInputError) -> UInt64 {
        try require(offset, 8, what())
        return load64(offset)
    }

    /// `n` bytes at `offset` as a view of their own, for messages about `place`.
    func slice(at offset: Int, count n: Int, place: String, _ what: @autoclosure () -> String) throws(TraceInputError) -> DatBytes {
        try require(offset, n, what())
        return DatBytes(base: base + offset, count: n, bigEndian: bigEndian, file: file, place: place)
    }

    /// The bytes at `offset` up to (not including) the next NUL, and the offset after the NUL.
    func cString(at offset: Int, _ what: @autoclosure () -> String) throws(TraceInputError) -> (text: String, next: Int) {
        try require(offset, 1, what())
        var end = offset
        while end < count && base.load(fromByteOffset: end, as: UInt8.self) != 0 { end += 1 }
        guard end < count else { throw truncated("the NUL ending \(what())", at: end) }
        return (text(at: offset, count: end - offset), end + 1)
    }

    /// `n` bytes at `offset` as text (invalid UTF-8 repaired), unchecked.
    func text(at offset: Int, count n: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(start: base + offset, count: n), as: UTF8.self)
    }

    /// Whether the bytes at `offset` are `literal` (with its NUL when `literal` has one), checked.
    func matches(_ literal: [UInt8], at offset: Int) -> Bool {
        guard offset >= 0, offset <= count - literal.count else { return false }
        for (i, b) in literal.enumerated() where base.load(fromByteOffset: offset + i, as: UInt8.self) != b { return false }
        return true
    }
}
