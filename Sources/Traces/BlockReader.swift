#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

/// The reading side of a pipelined replay: takes blocks of lines from the source and decodes
/// them, on a thread of its own and, whenever the replay would otherwise wait for a block, on the
/// replay's thread too. Decoding a block needs nothing from the blocks before it, so either
/// thread may decode any block; only taking the lines from the source is done in order, under
/// the lock.
///
/// A block's lines are numbered from 1 within it (its decoder cannot know how many lines the
/// blocks still being decoded before it hold); the replay adds the lines before it when it takes
/// the block (``FtraceReplayer`` renumbers lines as it applies them, ``LineBlock/shiftErrors(by:)`` the errors).
///
/// # Invariants
/// The source is touched only under `shared`'s lock, and never again once `finished` is set
/// there. A block is in exactly one place: spare, being filled or decoded by the one thread that
/// took it, decoded (waiting for the replay), or the replay's. That is why the class can be
/// `@unchecked Sendable`.
final class BlockReader: @unchecked Sendable {
    /// What both threads share, under the lock.
    struct Shared {
        var spare: [LineBlock]
        /// Decoded blocks the replay has not taken (few, in any order).
        var decoded: [LineBlock] = []
        /// The sequence number of the next block taken from the source, and of the next the replay takes.
        var next = 0, wanted = 0
        /// The lines of the blocks decoded so far: none are taken past the limit.
        var linesDecoded = 0
        /// Mapped file pages of blocks the replay gave back, for the reading thread to let go.
        var toRelease: [MappedRange] = []
        /// The last block has been taken from the source, or the replay stopped.
        var finished = false
    }

    let source: LineSource
    /// The number of the source's last line before the reading started.
    let firstLine: Int
    /// The last line to read.
    let limit: Int
    private let shared: Mutex<Shared>
    /// Signalled when a block is decoded, and when a spare block is given back or the reading finished.
    private let decodedSignal = DispatchSemaphore(value: 0), spareSignal = DispatchSemaphore(value: 0)
    /// The replay thread's decoder, and the reading thread's copy.
    private var decoder: FtraceDecoder
    private var readingDecoder: FtraceDecoder

    init(source: LineSource, decoder: FtraceDecoder, limit: Int, blocks: Int) {
        self.source = source
        self.decoder = decoder
        readingDecoder = decoder
        firstLine = source.lineNumber
        self.limit = limit
        shared = Mutex(Shared(spare: (0..<blocks).map { _ in LineBlock() }))
    }

    /// What a thread does next.
    private enum Step {
        case decode(LineBlock, Range<Int>?)
        case take(LineBlock)
        case wait
        case stop
    }

    /// File pages a block is done with.
    ///
    /// # Invariants
    /// `start` points into `mapping`, which the range keeps mapped; a range is in one place at a
    /// time (the queue under the lock, then the one thread that took it), hence `@unchecked Sendable`.
    struct MappedRange: @unchecked Sendable {
        let mapping: MappedFile
        let start: UnsafeRawPointer
        let count: Int

        /// Lets the kernel drop the range's pages (``MappedFile/release(_:count:)``).
        func release() { mapping.release(start, count: count) }
    }

    /// The reading thread: takes and decodes blocks until the last one is taken or the replay
    /// stops, and lets go of the file pages of the blocks the replay gave back (`madvise` and its
    /// TLB flushes cost the simulating thread a few percent).
    func run() {
        var decoder = readingDecoder
        var releasing: [MappedRange] = []
        while true {
            let step = shared.withLock { s -> Step in
                swap(&releasing, &s.toRelease)
                if s.finished { return .stop }
                guard let (block, range) = take(&s) else { return .wait }
                return .decode(block, range)
            }
            for r in releasing { r.release() }
            releasing.removeAll(keepingCapacity: true)
            switch step {
            case .decode(let block, let range): finish(block, range, &decoder)
            case .wait: spareSignal.wait()
            case .take, .stop: return
            }
        }
    }

    /// The next block in order, for the replay; decodes blocks itself while its block is not ready.
    func next() -> LineBlock {
        while true {
            let step = shared.withLock { s -> Step in
                if let k = s.decoded.firstIndex(where: { $0.sequence == s.wanted }) {
                    s.wanted += 1
                    return .take(s.decoded.remove(at: k))
                }
                guard let (block, range) = take(&s) else { return .wait }
                return .decode(block, range)
            }
            switch step {
            case .take(let block): return block
            case .decode(let block, let range): finish(block, range, &decoder)
            case .wait, .stop: decodedSignal.wait()
            }
        }
    }

    /// Gives a block back to be filled again; its file pages are let go on the reading thread
    /// (here when four wait, and with the mapping once the reading has ended).
    func recycle(_ block: LineBlock) {
        let done = block.mapping.flatMap { m in block.memory.map { MappedRange(mapping: m, start: $0, count: block.end) } }
        block.mapping = nil
        var behind: [MappedRange] = []
        shared.withLock {
            if let done { $0.toRelease.append(done) }
            // A reading thread that is not getting to them (a busy machine): this one does, so
            // that the resident pages stay bounded.
            if $0.toRelease.count >= BlockReader.pendingReleases { swap(&behind, &$0.toRelease) }
            $0.spare.append(block)
        }
        spareSignal.signal()
        for r in behind { r.release() }
    }

    /// Blocks whose pages may wait for the reading thread to let them go.
    static let pendingReleases = 4

    /// Stops the reading: from now on nobody touches the source. The reading thread, if it waits
    /// for a spare block, is woken to end.
    func stop() {
        shared.withLock { $0.finished = true }
        spareSignal.signal()
    }

    /// Takes the source's next lines into a spare block (under the lock), or nil when there is no
    /// spare block or nothing more to take. A nil range: the block is the last (the input or the
    /// limit ended, or it failed).
    private func take(_ s: inout Shared) -> (LineBlock, Range<Int>?)? {
        guard !s.finished, let block = s.spare.popLast() else { return nil }
        block.reset()
        block.sequence = s.next
        s.next += 1
        if firstLine + s.linesDecoded < limit {
            do throws(TraceInputError) {
                if let range = try source.takeLines(into: block) { return (block, range) }
            } catch {
                // An over-long line is at the block's first line; a failed decompressor or a
                // truncated mapping is about the whole file.
                block.fatal = error.line == nil && (error == source.endFailure || error == .truncated(source.name)) ? error
                    : TraceInputError(file: error.file, line: 1, message: error.message)
            }
        }
        block.isLast = true
        s.finished = true
        spareSignal.signal()   // the reading thread may be waiting for a block: it ends now
        return (block, nil)
    }

    /// Decodes a block taken with ``take(_:)`` and hands it to the replay.
    private func finish(_ block: LineBlock, _ range: Range<Int>?, _ decoder: inout FtraceDecoder) {
        if let range {
            decode(block, range, &decoder)
            if let mapping = block.mapping, !mapping.intact(upTo: Int(block.fileOffset) + range.upperBound) {
                // Zeros were read where the file's end was: nothing of this block is trusted.
                block.decoded.count = 0
                block.fatal = .truncated(source.name)
            }
        }
        shared.withLock {
            $0.decoded.append(block)
            $0.linesDecoded += block.decoded.count
        }
        decodedSignal.signal()
    }

    private func decode(_ block: LineBlock, _ range: Range<Int>, _ decoder: inout FtraceDecoder) {
        // Locals, not properties, in the loop: a class property mutated per line pays a dynamic
        // exclusivity check each time.
        let decoded = block.decoded
        var lineNumber = 0, entries = decoded.base, count = 0
        defer { decoded.count = count }
        block.end = range.upperBound
        guard let base = block.memory else { return }
        let nul = memchr(base + range.lowerBound, 0, range.count).map { base.distance(to: UnsafeRawPointer($0)) } ?? range.upperBound
        var start = range.lowerBound
        while start < range.upperBound {
            let lineEnd = memchr(base + start, 10, range.upperBound - start).map { base.distance(to: UnsafeRawPointer($0)) } ?? range.upperBound
            lineNumber += 1
            if nul < lineEnd {
                block.fatal = TraceInputError(file: source.name, line: lineNumber, message: "expected text, found a NUL byte (a binary file?)")
                break
            }
            var length = lineEnd - start
            let bytes = (base + start).assumingMemoryBound(to: UInt8.self)
            if length > 0 && bytes[length - 1] == 13 { length -= 1 }
            if count == decoded.capacity {
                decoded.count = count
                decoded.grow()
                entries = decoded.base
            }
            // Decoded where it stays, in one write of the record: the decoder assigns the whole
            // line (the memory holds valid entries already, see DecodedLines).
            entries[count].start = Int32(start)
            entries[count].length = Int32(length)
            decoder.decode(UnsafeBufferPointer(start: bytes, count: length), line: lineNumber, into: &entries[count].line)
            count += 1
            start = lineEnd + 1
        }
        decoded.count = count
        if !decoder.readsTimestamps { readLastTimestamp(of: decoded.entries, in: base) }
        block.errors = decoder.takeErrors()
    }

    /// Reads the timestamp of the block's last line that has one, so that a replay that reads no
    /// time per line still ends at its trace's last time.
    private func readLastTimestamp(of decoded: UnsafeMutableBufferPointer<DecodedEntry>, in base: UnsafeRawPointer) {
        for k in decoded.indices.reversed() where decoded[k].line.kind == .event || decoded[k].line.kind == .otherEvent {
            var l = ByteLine(UnsafeBufferPointer(start: (base + Int(decoded[k].start)).assumingMemoryBound(to: UInt8.self),
                                                 count: Int(decoded[k].length)))
            guard l.parse() == .event, l.timestamp >= 0 else { continue }
            decoded[k].line.timestamp = l.timestamp
            return
        }
    }
}
