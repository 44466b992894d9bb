import Dispatch
import HeapModel

/// A trace being read and decoded on a second thread, ahead of the simulation that will apply it
/// (``FtraceReplayer/replayAll(_:strict:rewind:on:afterLine:)``).
///
/// Started before the machine is built, the reading overlaps the building: a capture bundle's
/// start state takes a tenth of a replay to rebuild, and the decoding is half of a replay's work.
///
/// # Invariants
/// From ``start(_:file:kernel:placement:limit:)`` until the block marked last has been taken (by
/// the replay or by ``cancel()``), the source belongs to the reading thread; the caller does not
/// touch it. Blocks pass between the threads only through the two queues. That is why it can be
/// `@unchecked Sendable`.
public final class TraceReading: @unchecked Sendable {
    let source: LineSource
    let reader: BlockReader
    let empty = BlockQueue(), full = BlockQueue()
    let limit: Int
    /// The kernel whose flag names the lines were read with, and whether every page event was read.
    let kernel: KernelVersion
    let readsKernelPages: Bool
    /// Whether the block marked last has been taken.
    var ended = false

    private init(source: LineSource, decoder: FtraceDecoder, limit: Int) {
        self.source = source
        self.limit = limit
        kernel = decoder.kernel
        readsKernelPages = decoder.readsKernelPages
        reader = BlockReader(source: source, decoder: decoder, limit: limit)
        for _ in 0..<3 { empty.send(LineBlock()) }
    }

    /// Starts reading the rest of `source`, up to line `limit`, on a second thread: the lines of
    /// the trace file `file` (named in errors) read with `kernel`'s flag names, every page event
    /// read when `placement` (a replay that places pages as traced), else only the movable ones.
    /// Without `timestamps`, only each block's last time is read: enough for a replay that asks
    /// the time only at its end (``FtraceReplayer/timestampMicroseconds``).
    public static func start(_ source: LineSource, file: String, kernel: KernelVersion, placement: Bool,
                             limit: Int = .max, timestamps: Bool = true) -> TraceReading {
        var decoder = FtraceDecoder(file: file, kernel: kernel, readsKernelPages: placement)
        decoder.readsTimestamps = timestamps
        let reading = TraceReading(source: source, decoder: decoder, limit: limit)
        let (reader, empty, full) = (reading.reader, reading.empty, reading.full)
        // A queue of its own (a thread at once): the reader waits on the replay for empty blocks,
        // and a global queue's thread held that way would hold up other work queued there.
        DispatchQueue(label: "memtop.trace-reader").async { reader.run(empty: empty, full: full) }
        return reading
    }

    /// The next block from the reading thread.
    func next() -> LineBlock {
        let block = full.receive()
        if block.isLast { ended = true }
        return block
    }

    /// Gives a block back to the reading thread to fill again.
    func recycle(_ block: LineBlock) { empty.send(block) }

    /// Stops the reading and waits until the reading thread is done with the source (for a
    /// replay that ends before its input, or never starts: its machine could not be built).
    public func cancel() {
        reader.cancelled.store(true, ordering: .relaxed)
        while !ended { recycle(next()) }
    }
}
