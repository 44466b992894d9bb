#if canImport(Glibc)
import Glibc
#endif

/// Why an input could not be read.
public struct TraceInputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file as named.
    public let file: String
    /// The 1-based line, when the problem is on one.
    public let line: Int?
    /// What was expected and what was found.
    public let message: String

    /// An error about `file` (at `line`).
    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `FILE:LINE: message`, as compilers print it.
    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}

/// Reads a text file line by line without holding it in memory: plain files, `.gz` and `.xz`
/// (through `gzip -dc` / `xz -dc`), or `-` for standard input.
public final class LineSource {
    private let file: UnsafeMutablePointer<FILE>
    private let isPipe: Bool
    private var buffer: UnsafeMutablePointer<CChar>?
    private var capacity = 0
    /// The name used in messages.
    public let name: String
    /// The number of the line last read (1-based).
    public private(set) var lineNumber = 0
    /// Bytes read so far (for progress bars).
    public private(set) var bytesRead = 0
    /// The file's size on disk, when known (compressed size for compressed files).
    public let sizeOnDisk: Int?

    /// Opens `path`.
    /// - Throws: ``TraceInputError`` when it cannot be opened.
    public init(path: String) throws(TraceInputError) {
        name = path
        if path == "-" {
            guard let f = fdopen(dup(0), "r") else { throw TraceInputError(file: path, line: nil, message: "cannot read standard input") }
            file = f
            isPipe = false
            sizeOnDisk = nil
            return
        }
        var st = stat()
        guard stat(path, &st) == 0 else {
            throw TraceInputError(file: path, line: nil, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG || (st.st_mode & S_IFMT) == S_IFIFO else {
            throw TraceInputError(file: path, line: nil, message: "not a regular file")
        }
        sizeOnDisk = Int(st.st_size)
        let quoted = "'" + path.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
        let decompressor: String? = path.hasSuffix(".xz") ? "xz -dc" : (path.hasSuffix(".gz") ? "gzip -dc" : nil)
        if let decompressor {
            guard let p = popen("\(decompressor) -- \(quoted) 2>/dev/null", "r") else {
                throw TraceInputError(file: path, line: nil, message: "cannot start \(decompressor)")
            }
            file = p
            isPipe = true
        } else {
            guard let f = fopen(path, "r") else {
                throw TraceInputError(file: path, line: nil, message: "cannot open: \(String(cString: strerror(errno)))")
            }
            file = f
            isPipe = false
        }
    }

    deinit {
        if isPipe { pclose(file) } else { fclose(file) }
        free(buffer)
    }

    /// Calls `body` with each line's bytes (without the newline) until it returns false or the input ends.
    /// - Throws: ``TraceInputError`` for a line with a NUL byte (binary input) or over 64 KiB.
    public func forEachLine(_ body: (UnsafeBufferPointer<UInt8>) throws(TraceInputError) -> Bool) throws(TraceInputError) {
        while true {
            let n = getline(&buffer, &capacity, file)
            if n < 0 { break }
            lineNumber += 1
            bytesRead += n
            guard let base = buffer else { break }
            var length = n
            if length > 0 && base[length - 1] == 10 { length -= 1 }
            if length > 0 && base[length - 1] == 13 { length -= 1 }
            let bytes = UnsafeRawPointer(base).assumingMemoryBound(to: UInt8.self)
            if memchr(bytes, 0, length) != nil {
                throw TraceInputError(file: name, line: lineNumber, message: "expected text, found a NUL byte (a binary file?)")
            }
            if length > 65536 {
                throw TraceInputError(file: name, line: lineNumber, message: "expected a trace line, found \(length) bytes without a newline")
            }
            if try !body(UnsafeBufferPointer(start: bytes, count: length)) { break }
        }
    }

    /// Whether the source can jump to a byte offset (a plain file; not a pipe or a decompressor).
    public var isSeekable: Bool { !isPipe && name != "-" }

    /// The byte offset of the next line, for ``seek(toOffset:line:)``.
    public var offset: Int64 { Int64(ftello(file)) }

    /// Continues reading at `offset`, which starts line `line + 1`.
    /// - Returns: false when the source cannot seek.
    public func seek(toOffset offset: Int64, line: Int) -> Bool {
        guard isSeekable, fseeko(file, off_t(offset), SEEK_SET) == 0 else { return false }
        lineNumber = line
        return true
    }

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
}
