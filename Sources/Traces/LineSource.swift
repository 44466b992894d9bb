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
///
/// Reads in large blocks and finds line ends with `memchr`, so a line costs no copy and no call into
/// stdio: replaying a real capture is bound by parsing, not by reading.
public final class LineSource {
    private let file: UnsafeMutablePointer<FILE>
    private let descriptor: Int32
    private let isPipe: Bool
    /// The block buffer: bytes `[start, end)` are read and not yet handed out.
    private var buffer: UnsafeMutableRawPointer
    private var capacity: Int
    private var start = 0, end = 0
    /// The file offset of `buffer[0]`.
    private var bufferOffset: Int64 = 0
    /// The first NUL byte in `[start, end)`, or `end` when there is none (searched once per block;
    /// the line holding it is refused, so no later one needs tracking).
    private var nul = 0
    private var atEOF = false
    /// The name used in messages.
    public let name: String
    /// The number of the line last read (1-based).
    public private(set) var lineNumber = 0
    /// Bytes read so far (for progress bars).
    public private(set) var bytesRead = 0
    /// The file's size on disk, when known (compressed size for compressed files).
    public let sizeOnDisk: Int?

    static let blockSize = 1 << 20
    static let maxLine = 65536

    /// Opens `path`.
    /// - Throws: ``TraceInputError`` when it cannot be opened.
    public init(path: String) throws(TraceInputError) {
        name = path
        capacity = LineSource.blockSize
        buffer = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
        if path == "-" {
            guard let f = fdopen(dup(0), "r") else {
                buffer.deallocate()
                throw TraceInputError(file: path, line: nil, message: "cannot read standard input")
            }
            file = f
            descriptor = fileno(f)
            isPipe = false
            sizeOnDisk = nil
            return
        }
        var st = stat()
        guard stat(path, &st) == 0 else {
            buffer.deallocate()
            throw TraceInputError(file: path, line: nil, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        guard (st.st_mode & S_IFMT) == S_IFREG || (st.st_mode & S_IFMT) == S_IFIFO else {
            buffer.deallocate()
            throw TraceInputError(file: path, line: nil, message: "not a regular file")
        }
        sizeOnDisk = Int(st.st_size)
        let quoted = "'" + path.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
        let decompressor: String? = path.hasSuffix(".xz") ? "xz -dc" : (path.hasSuffix(".gz") ? "gzip -dc" : nil)
        if let decompressor {
            guard let p = popen("\(decompressor) -- \(quoted) 2>/dev/null", "r") else {
                buffer.deallocate()
                throw TraceInputError(file: path, line: nil, message: "cannot start \(decompressor)")
            }
            file = p
            isPipe = true
        } else {
            guard let f = fopen(path, "r") else {
                buffer.deallocate()
                throw TraceInputError(file: path, line: nil, message: "cannot open: \(String(cString: strerror(errno)))")
            }
            file = f
            isPipe = false
        }
        descriptor = fileno(file)
    }

    deinit {
        if isPipe { pclose(file) } else { fclose(file) }
        buffer.deallocate()
    }

    /// Reads another block after the unread bytes; false at the end of the input.
    private func fill() -> Bool {
        if atEOF { return false }
        if start > 0 {
            // Keep the partial line: move it to the front.
            if end > start { memmove(buffer, buffer + start, end - start) }
            bufferOffset += Int64(start)
            end -= start
            nul -= start
            start = 0
        }
        if end == capacity {
            let bigger = UnsafeMutableRawPointer.allocate(byteCount: capacity * 2, alignment: 16)
            bigger.copyMemory(from: buffer, byteCount: end)
            buffer.deallocate()
            buffer = bigger
            capacity *= 2
        }
        var n: Int
        repeat { n = read(descriptor, buffer + end, capacity - end) } while n < 0 && errno == EINTR
        if n <= 0 { atEOF = true; return false }
        if nul == end { nul = memchr(buffer + end, 0, n).map { buffer.distance(to: $0) } ?? end + n }
        end += n
        return true
    }

    /// Calls `body` with each line's bytes (without the newline) until it returns false or the input ends.
    /// - Throws: ``TraceInputError`` for a line with a NUL byte (binary input) or over 64 KiB.
    public func forEachLine(_ body: (UnsafeBufferPointer<UInt8>) throws(TraceInputError) -> Bool) throws(TraceInputError) {
        while true {
            var lineEnd: Int
            if let nl = memchr(buffer + start, 10, end - start) {
                lineEnd = buffer.distance(to: nl)
            } else {
                if end - start > LineSource.maxLine {
                    lineNumber += 1
                    throw TraceInputError(file: name, line: lineNumber, message: "expected a trace line, found \(end - start) bytes without a newline")
                }
                if fill() { continue }
                if end == start { return }
                lineEnd = end   // the last line has no newline
            }
            let lineStart = start
            start = min(lineEnd + 1, end)
            lineNumber += 1
            bytesRead += start - lineStart
            if nul < lineEnd {
                throw TraceInputError(file: name, line: lineNumber, message: "expected text, found a NUL byte (a binary file?)")
            }
            var length = lineEnd - lineStart
            let bytes = (buffer + lineStart).assumingMemoryBound(to: UInt8.self)
            if length > 0 && bytes[length - 1] == 13 { length -= 1 }
            if length > LineSource.maxLine {
                throw TraceInputError(file: name, line: lineNumber, message: "expected a trace line, found \(length) bytes without a newline")
            }
            if try !body(UnsafeBufferPointer(start: bytes, count: length)) { return }
        }
    }

    /// Hands over the buffered whole lines by exchanging buffers with the caller, for a reader that
    /// parses them on another thread: on return `buffer` (of `capacity` bytes) holds the lines in
    /// the returned range, newlines included (the last line of the input may lack one), and the
    /// source keeps reading into the caller's old buffer; `fileOffset` is the input offset of the
    /// buffer's first byte. Nil at the end of the input.
    ///
    /// Lines handed over this way are not counted in ``lineNumber``; NUL bytes are the caller's to find.
    /// - Precondition: `capacity` is at least ``blockSize``.
    /// - Throws: ``TraceInputError`` for a line over 64 KiB.
    func takeLines(_ buffer: inout UnsafeMutableRawPointer, capacity: inout Int,
                   fileOffset: inout Int64) throws(TraceInputError) -> Range<Int>? {
        precondition(capacity >= LineSource.blockSize)
        while true {
            var cut = -1
            // The last newline: the partial line after it is short, so search backwards.
            let bytes = self.buffer.assumingMemoryBound(to: UInt8.self)
            var i = end - 1
            while i >= start && bytes[i] != 10 { i -= 1 }
            if i >= start { cut = i + 1 }
            if cut < 0 {
                if end - start > LineSource.maxLine {
                    throw TraceInputError(file: name, line: nil, message: "expected a trace line, found \(end - start) bytes without a newline")
                }
                if fill() { continue }
                if start == end { return nil }
                cut = end   // the last line, without a newline
            }
            let lines = start..<cut
            let tail = end - cut
            if tail > 0 { buffer.copyMemory(from: self.buffer + cut, byteCount: tail) }
            swap(&buffer, &self.buffer)
            swap(&capacity, &self.capacity)
            fileOffset = bufferOffset
            bufferOffset += Int64(cut)
            start = 0
            end = tail
            nul = memchr(self.buffer, 0, tail).map { self.buffer.distance(to: $0) } ?? tail
            return lines
        }
    }

    /// Counts the lines a reader took with ``takeLines(_:capacity:fileOffset:)`` and read itself:
    /// the next line is `line + 1`.
    func skippedLines(to line: Int) { lineNumber = line }

    /// Whether the source can jump to a byte offset (a plain file; not a pipe or a decompressor).
    public var isSeekable: Bool { !isPipe && name != "-" }

    /// The byte offset of the next line, for ``seek(toOffset:line:)``.
    public var offset: Int64 { bufferOffset + Int64(start) }

    /// Continues reading at `offset`, which starts line `line + 1`.
    /// - Returns: false when the source cannot seek.
    public func seek(toOffset offset: Int64, line: Int) -> Bool {
        guard isSeekable, lseek(descriptor, off_t(offset), SEEK_SET) == off_t(offset) else { return false }
        bufferOffset = offset
        start = 0
        end = 0
        nul = 0
        atEOF = false
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
