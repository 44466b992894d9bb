#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Synchronization

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
        var decoder = self.decoder, lineNumber = self.lineNumber, decoded = block.decoded
        block.decoded = []
        defer { self.decoder = decoder; self.lineNumber = lineNumber; block.decoded = decoded }
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
            decoded.append((DecodedLine(kind: .comment, line: lineNumber), Int32(start), Int32(length)))
            decoder.decode(UnsafeBufferPointer(start: bytes, count: length), line: lineNumber, into: &decoded[decoded.count - 1].line)
            start = lineEnd + 1
        }
        if !decoder.readsTimestamps { readLastTimestamp(of: &decoded, in: base) }
        block.errors = decoder.takeErrors()
    }

    /// Reads the timestamp of the block's last line that has one, so that a replay that reads no
    /// time per line still ends at its trace's last time.
    private func readLastTimestamp(of decoded: inout [(line: DecodedLine, start: Int32, length: Int32)], in base: UnsafeMutableRawPointer) {
        for k in decoded.indices.reversed() where decoded[k].line.kind == .event || decoded[k].line.kind == .otherEvent {
            var l = ByteLine(UnsafeBufferPointer(start: (base + Int(decoded[k].start)).assumingMemoryBound(to: UInt8.self),
                                                 count: Int(decoded[k].length)))
            guard l.parse() == .event, l.timestamp >= 0 else { continue }
            decoded[k].line.timestamp = l.timestamp
            return
        }
    }
}
