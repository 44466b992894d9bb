#if canImport(Glibc)
import Glibc
#endif

/// Pull-style reading, one line at a time (for stepping a replay), and the helpers that start a decompressor.
extension LineSource {
    /// Calls `body` with the next line's bytes; false at the end.
    /// - Throws: ``TraceInputError`` as ``forEachLine(_:)`` does.
    public func withNextLine(_ body: (UnsafeBufferPointer<UInt8>) throws(TraceInputError) -> Void) throws(TraceInputError) -> Bool {
        var any = false
        try forEachLine { bytes throws(TraceInputError) in
            any = true
            try body(bytes)
            return false
        }
        return any
    }

    /// The next line as text, or nil at the end (pull-style, for stepping a replay one line at a time).
    /// - Throws: ``TraceInputError`` as ``forEachLine(_:)`` does.
    public func nextLine() throws(TraceInputError) -> Substring? {
        var result: Substring?
        try forEachLine { bytes throws(TraceInputError) in
            result = Substring(String(decoding: bytes, as: UTF8.self))
            return false
        }
        return result
    }

    /// `text` in single quotes for `sh`.
    static func shellQuoted(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
    }

    /// A new empty temporary file for a decompressor's standard error, or nil.
    static func makeErrorLog() -> (path: String, descriptor: Int32)? {
        let directory = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((directory + "/memtop-decompress-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else { return nil }
        // The shell opens the file by name; no child needs this descriptor.
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        return (String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), fd)
    }
}
