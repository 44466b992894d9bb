/// Sequential reads through ``DatBytes``, as the version 6 header and every section are laid out.
struct DatCursor {
    let bytes: DatBytes
    var position: Int

    init(_ bytes: DatBytes, at position: Int = 0) {
        self.bytes = bytes
        self.position = position
    }

    var atEnd: Bool { position >= bytes.count }

    mutating func u16(_ what: @autoclosure () -> String) throws(TraceInputError) -> UInt16 {
        defer { position += 2 }
        return try bytes.u16(at: position, what())
    }

    mutating func u32(_ what: @autoclosure () -> String) throws(TraceInputError) -> UInt32 {
        defer { position += 4 }
        return try bytes.u32(at: position, what())
    }

    mutating func u64(_ what: @autoclosure () -> String) throws(TraceInputError) -> UInt64 {
        defer { position += 8 }
        return try bytes.u64(at: position, what())
    }

    /// A NUL-terminated string; the cursor moves past the NUL.
    mutating func cString(_ what: @autoclosure () -> String) throws(TraceInputError) -> String {
        let (s, next) = try bytes.cString(at: position, what())
        position = next
        return s
    }

    /// The next `n` bytes as a view (for a nested structure); the cursor moves past them.
    mutating func take(_ n: Int, place: String, _ what: @autoclosure () -> String) throws(TraceInputError) -> DatBytes {
        let s = try bytes.slice(at: position, count: n, place: place, what())
        position += n
        return s
    }

    /// A size read as a 64-bit number that must fit in what is left.
    mutating func size64(_ what: @autoclosure () -> String) throws(TraceInputError) -> Int {
        let at = position
        let n = try u64(what())
        guard n <= UInt64(bytes.count - position) else { throw bytes.truncated("\(n) bytes of \(what())", at: at) }
        return Int(n)
    }

    /// A size read as a 32-bit number that must fit in what is left.
    mutating func size32(_ what: @autoclosure () -> String) throws(TraceInputError) -> Int {
        let at = position
        let n = Int(try u32(what()))
        guard n <= bytes.count - position else { throw bytes.truncated("\(n) bytes of \(what())", at: at) }
        return n
    }

    /// Throws unless the next bytes are `literal`; moves past them.
    mutating func expect(_ literal: String, _ what: String) throws(TraceInputError) {
        let b = Array(literal.utf8) + [0]
        guard bytes.matches(b, at: position) else {
            if position + b.count > bytes.count { throw bytes.truncated(what, at: position) }
            throw bytes.corrupt("expected \(what) at byte \(position), found other bytes")
        }
        position += b.count
    }
}
