#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import HeapModel
import Synchronization

/// A block of whole trace lines and what the decoder made of them, passed from the reading thread
/// to the simulating one.
///
/// # Invariants
/// A block belongs to one thread at a time: the reader fills it, sends it, and does not touch it
/// again until the simulating thread sends it back. That hand-over through ``BlockQueue`` is why
/// it can be `@unchecked Sendable`.
final class LineBlock: @unchecked Sendable {
    var memory: UnsafeMutableRawPointer
    var capacity: Int
    /// The input offset of `memory[0]`.
    var fileOffset: Int64 = 0
    /// The lines, decoded, with each line's place in `memory`.
    var decoded: [(line: DecodedLine, start: Int32, length: Int32)] = []
    /// The decoder's errors, referenced by `DecodedLine.error`.
    var errors: [TraceInputError] = []
    /// An error that ends the input after the decoded lines (binary data, an over-long line).
    var fatal: TraceInputError?
    /// No block follows.
    var isLast = false

    init() {
        capacity = LineSource.blockSize
        memory = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: 16)
    }

    deinit { memory.deallocate() }

    func reset() {
        decoded.removeAll(keepingCapacity: true)
        errors.removeAll(keepingCapacity: true)
    }
}

/// A blocking first-in first-out hand-over of blocks between two threads.
final class BlockQueue: Sendable {
    private let blocks = Mutex<[LineBlock]>([])
    private let available = DispatchSemaphore(value: 0)

    func send(_ block: LineBlock) {
        blocks.withLock { $0.append(block) }
        available.signal()
    }

    func receive() -> LineBlock {
        available.wait()
        return blocks.withLock { $0.removeFirst() }
    }
}

/// The reading side of a pipelined replay: reads blocks of lines from the source and decodes them.
///
/// # Invariants
/// Once started, the source and the decoder are used only by the reading thread, until it has
/// sent the block marked `isLast`; the caller waits for that block before touching the source
/// again. That is why it can be `@unchecked Sendable`.
final class BlockReader: @unchecked Sendable {
    let source: LineSource
    var decoder: FtraceDecoder
    var lineNumber: Int
    let limit: Int
    let cancelled = Atomic<Bool>(false)
    /// Where the first line not handed over starts, once the limit is reached (read after the last block).
    var resumeOffset: Int64?

    init(source: LineSource, decoder: FtraceDecoder, limit: Int) {
        self.source = source
        self.decoder = decoder
        self.lineNumber = source.lineNumber
        self.limit = limit
    }

    /// Fills and sends blocks taken from `empty` until the input, the limit or a cancel ends it.
    func run(empty: BlockQueue, full: BlockQueue) {
        var last = false
        while !last {
            let block = empty.receive()
            block.reset()
            if cancelled.load(ordering: .relaxed) || lineNumber >= limit {
                block.isLast = true
            } else {
                do throws(TraceInputError) {
                    if let range = try source.takeLines(&block.memory, capacity: &block.capacity, fileOffset: &block.fileOffset) {
                        decode(block, range)
                    } else {
                        block.isLast = true
                    }
                } catch {
                    // An over-long line is at the next line; a failed decompressor is about the whole file.
                    block.fatal = error == source.endFailure ? error
                        : TraceInputError(file: error.file, line: lineNumber + 1, message: error.message)
                }
                if block.fatal != nil { block.isLast = true }
            }
            last = block.isLast
            full.send(block)
        }
    }

    private func decode(_ block: LineBlock, _ range: Range<Int>) {
        // Locals, not properties, in the loop: a class property mutated per line pays a dynamic
        // exclusivity check each time.
        var decoder = self.decoder, lineNumber = self.lineNumber
        defer { self.decoder = decoder; self.lineNumber = lineNumber }
        let base = block.memory
        let nul = memchr(base + range.lowerBound, 0, range.count).map { base.distance(to: $0) } ?? range.upperBound
        var start = range.lowerBound
        while start < range.upperBound {
            if lineNumber >= limit {
                block.isLast = true
                resumeOffset = block.fileOffset + Int64(start)
                break
            }
            let lineEnd = memchr(base + start, 10, range.upperBound - start).map { base.distance(to: $0) } ?? range.upperBound
            lineNumber += 1
            if nul < lineEnd {
                block.fatal = TraceInputError(file: source.name, line: lineNumber, message: "expected text, found a NUL byte (a binary file?)")
                break
            }
            var length = lineEnd - start
            let bytes = (base + start).assumingMemoryBound(to: UInt8.self)
            if length > 0 && bytes[length - 1] == 13 { length -= 1 }
            let d = decoder.decode(UnsafeBufferPointer(start: bytes, count: length), line: lineNumber)
            block.decoded.append((d, Int32(start), Int32(length)))
            start = lineEnd + 1
        }
        block.errors = decoder.takeErrors()
    }
}

extension FtraceReplayer {
    /// Replays the rest of `source`, up to line `limit`, reading and decoding on a second thread
    /// while this one runs the simulation on `machine`; `afterLine` is called after each line with
    /// the machine and the line's number.
    ///
    /// The result is the same as applying the lines one by one with ``apply(bytes:line:strict:to:)``:
    /// lines are applied in order, and the first error stops the replay at its line. The reader
    /// reads ahead, so afterwards `source` stands past the limit: a seekable source is moved back to
    /// the line after the last one applied when `rewind` is set (at the end of the input it is
    /// there already).
    /// - Throws: ``TraceInputError`` as ``apply(bytes:line:strict:to:)`` and ``LineSource/forEachLine(_:)`` do.
    public mutating func replayAll(from source: LineSource, upTo limit: Int = .max, strict: Bool, rewind: Bool = false,
                                   on machine: inout Machine,
                                   afterLine: (inout FtraceReplayer, inout Machine, Int) -> Void) throws(TraceInputError) {
        let empty = BlockQueue(), full = BlockQueue()
        for _ in 0..<3 { empty.send(LineBlock()) }
        let reader = BlockReader(source: source, decoder: FtraceDecoder(file: file, kernel: kernel, readsKernelPages: placesAsTraced), limit: limit)
        DispatchQueue.global().async { reader.run(empty: empty, full: full) }
        var failure: TraceInputError?
        while true {
            let block = full.receive()
            if failure == nil {
                let lines = block.decoded.count
                for (i, (d, start, length)) in block.decoded.enumerated() {
                    // The pointer map is larger than the cache: ask for the entry a few lines early.
                    // Then, once that entry is in, the object a free will touch.
                    if i + 8 < lines { prefetch(block.decoded[i + 8].line) }
                    if i + 4 < lines { prefetchObject(block.decoded[i + 4].line, in: machine) }
                    let bytes = UnsafeBufferPointer(start: (block.memory + Int(start)).assumingMemoryBound(to: UInt8.self), count: Int(length))
                    do throws(TraceInputError) {
                        try apply(d, bytes: bytes, error: d.error >= 0 ? block.errors[Int(d.error)] : nil, strict: strict, to: &machine)
                    } catch {
                        failure = error
                        reader.cancelled.store(true, ordering: .relaxed)
                        break
                    }
                    afterLine(&self, &machine, d.line)
                }
                if failure == nil, let fatal = block.fatal { failure = fatal }
            }
            // Keep taking blocks until the reader's last, so that it is done with the source.
            if block.isLast { break }
            empty.send(block)
        }
        if let failure { throw failure }
        // The input ended: so did the call chain of its last event.
        if reader.lineNumber < limit { try finishCallChain(strict: strict, on: &machine) }
        if rewind, let offset = reader.resumeOffset {
            _ = source.seek(toOffset: offset, line: limit)
        } else {
            source.skippedLines(to: reader.lineNumber)
        }
    }
}
