import CPrefetch
import Dispatch
import HeapModel
import Synchronization

/// The pipelined replay: one thread reads and decodes blocks of lines while another simulates
/// them, and decodes blocks too whenever it would otherwise wait for one.
extension FtraceReplayer {
    /// Replays the rest of `source`, up to line `limit`, reading and decoding on a second thread
    /// while this one runs the simulation on `machine` (decoding too when it is ahead); `afterLine`
    /// is called after each line whose number is a multiple of `interval` (every line by default)
    /// with the machine and that number.
    ///
    /// The result is the same as applying the lines one by one with ``apply(bytes:line:strict:to:)``:
    /// lines are applied in order, and the first error stops the replay at its line. The reader
    /// reads ahead, so afterwards `source` stands past the limit: a seekable source is moved back to
    /// the line after the last one applied when `rewind` is set (at the end of the input it is
    /// there already).
    /// - Throws: ``TraceInputError`` as ``apply(bytes:line:strict:to:)`` and ``LineSource/forEachLine(_:)`` do.
    /// - Precondition: `interval` is a power of two.
    public mutating func replayAll(from source: LineSource, upTo limit: Int = .max, strict: Bool, rewind: Bool = false,
                                   on machine: inout Machine, every interval: Int = 1,
                                   afterLine: (inout FtraceReplayer, inout Machine, Int) -> Void) throws(TraceInputError) {
        let reading = TraceReading.start(source, file: file, kernel: kernel, placement: placesAsTraced, limit: limit)
        try replayAll(reading, strict: strict, rewind: rewind, on: &machine, every: interval, afterLine: afterLine)
    }

    /// Replays what `reading` reads, as ``replayAll(from:upTo:strict:rewind:on:afterLine:)`` does
    /// with a reading it starts itself.
    /// - Precondition: `reading` reads with this replayer's kernel and placement, and nothing has
    ///   taken its blocks yet; `interval` is a power of two.
    public mutating func replayAll(_ reading: TraceReading, strict: Bool, rewind: Bool = false, on machine: inout Machine,
                                   every interval: Int = 1,
                                   afterLine: (inout FtraceReplayer, inout Machine, Int) -> Void) throws(TraceInputError) {
        precondition(reading.kernel == kernel && reading.readsKernelPages == placesAsTraced && !reading.ended,
                     "a trace reading for another replay")
        precondition(interval > 0 && interval & (interval - 1) == 0, "an interval of \(interval) lines")
        let mask = interval - 1
        let (source, limit) = (reading.source, reading.limit)
        // Stopped on the way out, whatever stops the replay: the source is the caller's again.
        defer { reading.cancel() }
        var line = reading.reader.firstLine   // the lines before the next block
        var resumeOffset: Int64?
        while true {
            let block = reading.next()
            var count = block.decoded.count
            if line + count >= limit {
                // The limit: the block's lines up to it, and where the line after it starts.
                count = max(limit - line, 0)
                resumeOffset = block.fileOffset + Int64(count < block.decoded.count ? Int(block.decoded[count].start) : block.end)
            }
            if let failure = applyBlock(block, count: count, after: line, strict: strict, on: &machine, mask: mask, afterLine: afterLine) { throw failure }
            line += count
            if resumeOffset != nil { break }
            if let fatal = block.fatal { throw fatal }
            if block.isLast { break }
            reading.recycle(block)
        }
        // The input ended: so did the call chain of its last event.
        if line < limit { try finishCallChain(strict: strict, on: &machine) }
        reading.cancel()
        if rewind, let resumeOffset {
            _ = source.seek(toOffset: resumeOffset, line: limit)
        } else {
            source.skippedLines(to: line)
        }
    }

    /// Applies the first `count` of a block's lines in order, numbering them as lines of the input
    /// with `before` lines before the block; returns the first error, which stops it.
    ///
    /// The lines are read in place, through one buffer pointer taken once: reading them through
    /// the block (a class) per line paid an exclusivity check and a copy of each line, three
    /// times a line with the prefetches.
    /// `afterLine` is called for the lines whose number has no bit of `mask` set.
    private mutating func applyBlock(_ block: LineBlock, count: Int, after before: Int, strict: Bool, on machine: inout Machine, mask: Int,
                                     afterLine: (inout FtraceReplayer, inout Machine, Int) -> Void) -> TraceInputError? {
        let decoded = block.decoded
        block.shiftErrors(by: before)
        let errors = block.errors
        guard let memory = block.memory else { return nil }   // a block no source filled has no lines
        let lines = decoded.entries
        for i in 0..<count {
            // The decoded records were written on the other core: ask for one a few lines early
            // (its two cache lines), or each line waits for its record to cross over.
            if i + 6 < count {
                let ahead = UnsafeRawPointer(lines.baseAddress! + i + 6)
                memtop_prefetch(ahead)
                memtop_prefetch(ahead + 64)
            }
            // The pointer map is larger than the cache: ask for the entry a few lines early.
            // Then, once that entry is in, the object a free will touch.
            if !placesAsTraced {
                if i + 8 < count { prefetch(lines[i + 8].line) }
                if i + 4 < count { prefetchObject(lines[i + 4].line, in: &machine) }
            }
            // One copy of the line, taken once (reading the fields through the buffer made two),
            // numbered within the block until now (see BlockReader). Renumbered in the copy: a
            // write to the record just before reading it whole stalled each line (the wide load
            // cannot take the narrow store's bytes from the store buffer).
            var d = lines[i].line
            d.line += before
            let start = Int(lines[i].start), length = Int(lines[i].length)
            let bytes = UnsafeBufferPointer(start: (memory + start).assumingMemoryBound(to: UInt8.self), count: length)
            do throws(TraceInputError) {
                try apply(d, bytes: bytes, errors: errors, strict: strict, to: &machine)
            } catch {
                return error
            }
            if d.line & mask == 0 { afterLine(&self, &machine, d.line) }
        }
        return nil
    }
}
