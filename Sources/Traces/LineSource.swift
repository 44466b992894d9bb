#if canImport(Glibc)
import Glibc
#endif

/// Reads a text file line by line without holding it in memory: plain files, `.gz` and `.xz`
/// (through `gzip -dc` / `xz -dc`), or `-` for standard input. A trace-cmd trace.dat (told by its
/// magic bytes, also inside `.gz`/`.xz`, which are first decompressed to a temporary file since a
/// trace.dat is read out of order) is read as the ftrace text a ``TraceDatReader`` prints for it,
/// through a pipe from a thread of its own; such a source cannot seek, like a compressed one.
///
/// Reads in large blocks and finds line ends with `memchr`, so a line costs no copy and no call into
/// stdio: replaying a real capture is bound by parsing, not by reading.
///
/// A decompressor that fails (a truncated or corrupt archive) is an error at the end of its
/// output, not a short file: the lines it produced are read, then the reader that reaches the end
/// gets a ``TraceInputError`` with the decompressor's reason.
public final class LineSource {
    private var file: UnsafeMutablePointer<FILE>
    private var descriptor: Int32
    private var isPipe: Bool
    /// The decompressor's name (`xz`, `gzip`), for pipes.
    private let decompressor: String?
    /// A temporary file receiving the decompressor's standard error (unlinked once read), and the
    /// descriptor that reads it; nil when none could be made.
    private var errorLog: (path: String, descriptor: Int32)?
    /// Whether the pipe was closed on reaching its end (so `deinit` must not close it again).
    private var pipeClosed = false
    /// For a trace.dat: the reader printing its text into the pipe `file` reads.
    private var traceDat: TraceDatPipe?
    /// Why the input ended badly (the decompressor failed, or a read failed); reported again each
    /// time a reader reaches the end.
    private(set) var endFailure: TraceInputError?
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
    /// A large plain file, mapped: ``takeLines(into:)`` hands out its lines where they lie.
    private var mapping: MappedFile?

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
            decompressor = nil
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
        decompressor = path.hasSuffix(".xz") ? "xz" : (path.hasSuffix(".gz") ? "gzip" : nil)
        if let decompressor {
            let log = LineSource.makeErrorLog()
            errorLog = log
            let errors = log.map { LineSource.shellQuoted($0.path) } ?? "/dev/null"
            guard let p = popen("\(decompressor) -dc -- \(LineSource.shellQuoted(path)) 2>\(errors)", "r") else {
                buffer.deallocate()
                if let log { unlink(log.path); close(log.descriptor) }
                throw TraceInputError(file: path, line: nil, message: "cannot start \(decompressor) -dc")
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
        try openTraceDat(path, regular: (st.st_mode & S_IFMT) == S_IFREG)
        // Blocks of a small file are few: copying them costs less than mapping.
        if decompressor == nil, traceDat == nil, (st.st_mode & S_IFMT) == S_IFREG, Int(st.st_size) >= 4 * LineSource.blockSize {
            mapping = MappedFile(descriptor: descriptor, size: Int(st.st_size), advice: MADV_SEQUENTIAL)
        }
    }

    deinit {
        // A trace.dat's producer is stopped (the pipe drained) before its read end is closed.
        traceDat?.stop()
        // A reader that stops early makes the decompressor die of SIGPIPE: its status means nothing.
        if isPipe { if !pipeClosed { pclose(file) } } else { fclose(file) }
        discardErrorLog()
        buffer.deallocate()
    }

    private func discardErrorLog() {
        guard let errorLog else { return }
        unlink(errorLog.path)
        close(errorLog.descriptor)
        self.errorLog = nil
    }

    /// When the input is a trace.dat, switches to reading its text from a ``TraceDatPipe``. A
    /// regular file is checked with `pread`; a decompressor's output or a FIFO is looked at through
    /// its first bytes (which stay buffered as the start of the text when it is not a trace.dat),
    /// and a trace.dat there is copied to a temporary file first.
    /// - Throws: ``TraceInputError`` when the trace.dat cannot be read, or the decompressor failed.
    private func openTraceDat(_ path: String, regular: Bool) throws(TraceInputError) {
        if regular && !isPipe {
            guard TraceDatPipe.hasMagic(descriptor) else { return }
            try readText(from: TraceDatPipe(path: path, name: name, temporary: false))
            return
        }
        while end < TraceDatReader.magicLength && !atEOF {
            var n: Int
            repeat { n = read(descriptor, buffer + end, capacity - end) } while n < 0 && errno == EINTR
            if n > 0 { end += n; continue }
            atEOF = true
            if n < 0 { endFailure = TraceInputError(file: name, line: nil, message: "cannot read: \(String(cString: strerror(errno)))") }
        }
        guard TraceDatReader.hasMagic(UnsafeRawBufferPointer(start: buffer, count: end)) else {
            if atEOF && isPipe && endFailure == nil { endFailure = closePipe() }
            nul = memchr(buffer, 0, end).map { buffer.distance(to: $0) } ?? end
            return
        }
        let copy = try TraceDatSpool(name: name, prefix: UnsafeRawBufferPointer(start: buffer, count: end), rest: descriptor)
        if isPipe, let failure = closePipe() {
            copy.discard()
            throw failure
        }
        try readText(from: TraceDatPipe(path: copy.path, name: name, temporary: true))
    }

    /// Reads from `producer`'s pipe from now on: the file read so far is closed (a decompressor's
    /// pipe was closed already) and whatever was buffered is dropped.
    private func readText(from producer: TraceDatPipe) throws(TraceInputError) {
        guard let f = fdopen(producer.readDescriptor, "r") else {
            producer.stop()
            close(producer.readDescriptor)
            throw TraceInputError(file: name, line: nil, message: "cannot read the trace.dat's text: \(String(cString: strerror(errno)))")
        }
        if !isPipe { fclose(file) }
        (file, descriptor, isPipe, pipeClosed, traceDat) = (f, producer.readDescriptor, false, false, producer)
        (start, end, nul, atEOF, endFailure) = (0, 0, 0, false, nil)
    }

    /// Closes the pipe at the end of its output and returns why the decompressor failed, or nil
    /// when it succeeded.
    private func closePipe() -> TraceInputError? {
        pipeClosed = true
        let status = pclose(file)
        let pcloseErrno = errno
        // The decompressor's own words: the last line of its standard error, without its name and ours.
        var reason = ""
        if let errorLog {
            var bytes = [UInt8](repeating: 0, count: 4096)
            let n = pread(errorLog.descriptor, &bytes, bytes.count, 0)
            let text = n > 0 ? String(decoding: bytes[..<n], as: UTF8.self) : ""
            var last = Substring(text.split(whereSeparator: \.isNewline).last ?? "")
            for prefix in ["\(decompressor ?? ""): ", "\(name): "] where last.hasPrefix(prefix) { last = last.dropFirst(prefix.count) }
            reason = String(last)
        }
        discardErrorLog()
        if status == 0 { return nil }
        if status == -1 {
            // Someone else reaped the child (SIGCHLD ignored): its status is lost, not known to be bad.
            if pcloseErrno == ECHILD { return nil }
            if reason.isEmpty { reason = String(cString: strerror(pcloseErrno)) }
        } else if reason.isEmpty {
            reason = status & 0x7f == 0 ? "exit status \((status >> 8) & 0xff)" : "killed by signal \(status & 0x7f)"
        }
        return TraceInputError(file: name, line: nil, message: "\(decompressor ?? "the decompressor") could not decompress the file: \(reason)")
    }

    /// Reads another block after the unread bytes; false at the end of the input.
    /// - Throws: ``TraceInputError`` at the end of a pipe whose decompressor failed, or when reading
    ///   fails; again at each later call.
    private func fill() throws(TraceInputError) -> Bool {
        if atEOF {
            if let endFailure { throw endFailure }
            return false
        }
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
        if n < 0 {
            atEOF = true
            endFailure = TraceInputError(file: name, line: nil, message: "cannot read: \(String(cString: strerror(errno)))")
        } else if n == 0 {
            atEOF = true
            if isPipe { endFailure = closePipe() } else if let traceDat { endFailure = traceDat.finish() }
        }
        if atEOF {
            if let endFailure { throw endFailure }
            return false
        }
        if nul == end { nul = memchr(buffer + end, 0, n).map { buffer.distance(to: $0) } ?? end + n }
        end += n
        return true
    }

    /// Calls `body` with each line's bytes (without the newline) until it returns false or the input ends.
    /// - Throws: ``TraceInputError`` for a line with a NUL byte (binary input) or over 64 KiB, and at
    ///   the end of the input when the decompressor failed or a read did (the lines before are read).
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
                if try fill() { continue }
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

    /// Hands `block` the next block of whole lines, for a reader that parses them on another
    /// thread: on return `block.memory` holds the lines in the returned range, newlines included
    /// (the last line of the input may lack one), and `block.fileOffset` is the input offset of
    /// `block.memory[0]`. A mapped file's lines stay where they are (the block holds the
    /// mapping); any other source's are read into the block's buffer, by exchanging it with the
    /// source's. Nil at the end of the input.
    ///
    /// Lines handed over this way are not counted in ``lineNumber``; NUL bytes are the caller's to find.
    /// - Throws: ``TraceInputError`` for a line over 64 KiB, or at the end of the input as
    ///   ``forEachLine(_:)`` does.
    func takeLines(into block: LineBlock) throws(TraceInputError) -> Range<Int>? {
        if let range = takeMappedLines(into: block) { return range }
        // No whole line found where the mapping was read as zeros: the file was truncated since.
        if mapping?.truncated == true { throw TraceInputError.truncated(name) }
        var buffer = block.ownBuffer()
        defer { block.buffer = buffer }
        guard let range = try takeLines(&buffer, capacity: &block.capacity, fileOffset: &block.fileOffset) else { return nil }
        block.memory = UnsafeRawPointer(buffer)
        block.mapping = nil
        return range
    }

    /// The mapped file's whole lines from the next one on, up to a block's worth; nil, with the
    /// reading set to go on from that line, when there is no mapping or no whole line in it there
    /// (the end of the file, a line too long, or a file that grew since it was mapped).
    private func takeMappedLines(into block: LineBlock) -> Range<Int>? {
        guard let mapping else { return nil }
        // The mapping holds what the buffer holds: the buffered bytes are dropped and read from it.
        let position = Int(offset)
        if position < mapping.size {
            let bytes = mapping.base.assumingMemoryBound(to: UInt8.self)
            var i = min(position + LineSource.blockSize, mapping.size) - 1
            while i >= position && bytes[i] != 10 { i -= 1 }
            if i >= position {
                let cut = i + 1
                block.memory = mapping.base + position
                block.mapping = mapping
                block.fileOffset = Int64(position)
                _ = seek(toOffset: Int64(cut), line: lineNumber)
                return 0..<(cut - position)
            }
        }
        // What is left is for read(2) (which sees a file grown since, and errs on a line too long).
        if start != end || bufferOffset != Int64(position) { _ = seek(toOffset: Int64(position), line: lineNumber) }
        return nil
    }

    /// Hands over the buffered whole lines by exchanging buffers with the caller: on return
    /// `buffer` (of `capacity` bytes) holds the lines in the returned range and the source keeps
    /// reading into the caller's old buffer; `fileOffset` is the input offset of the buffer's first
    /// byte. Nil at the end of the input.
    /// - Precondition: `capacity` is at least ``blockSize``.
    private func takeLines(_ buffer: inout UnsafeMutableRawPointer, capacity: inout Int,
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
                if try fill() { continue }
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

    /// Counts the lines a reader took with ``takeLines(into:)`` and read itself:
    /// the next line is `line + 1`.
    func skippedLines(to line: Int) { lineNumber = line }

    /// Whether the source can jump to a byte offset (a plain file; not a pipe or a decompressor).
    public var isSeekable: Bool { !isPipe && name != "-" && traceDat == nil }

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
        endFailure = nil
        lineNumber = line
        return true
    }
}
