import Dispatch
import HeapModel

/// A trace being read and decoded on a second thread, ahead of the simulation that will apply it
/// (``FtraceReplayer/replayAll(_:strict:rewind:on:afterLine:)``), which decodes blocks itself
/// whenever it would otherwise wait for one.
///
/// Started before the machine is built, the reading overlaps the building: a capture bundle's
/// start state takes a tenth of a replay to rebuild, and the decoding is half of a replay's work.
///
/// # Invariants
/// From ``start(_:file:kernel:placement:limit:timestamps:)`` until the replay stops it (or
/// ``cancel()`` does), the source belongs to the reading; the caller does not touch it. Blocks
/// pass between the threads only through the ``BlockReader``. That is why it can be
/// `@unchecked Sendable`.
public final class TraceReading: @unchecked Sendable {
    let source: LineSource
    let reader: BlockReader
    let limit: Int
    /// The kernel whose flag names the lines were read with, and whether every page event was read.
    let kernel: KernelVersion
    let readsKernelPages: Bool
    /// Whether the replay has stopped the reading.
    private(set) var ended = false

    /// Blocks in flight: one being decoded on each thread, one or two decoded ahead.
    static let blocks = 16

    private init(source: LineSource, decoder: FtraceDecoder, limit: Int) {
        self.source = source
        self.limit = limit
        kernel = decoder.kernel
        readsKernelPages = decoder.readsKernelPages
        reader = BlockReader(source: source, decoder: decoder, limit: limit, blocks: TraceReading.blocks)
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
        let reader = reading.reader
        // A queue of its own (a thread at once): the reader waits on the replay for spare blocks,
        // and a global queue's thread held that way would hold up other work queued there.
        DispatchQueue(label: "memtop.trace-reader").async { reader.run() }
        return reading
    }

    /// The next block, in order; decoded on this thread when the reading thread is behind.
    func next() -> LineBlock { reader.next() }

    /// Gives a block back to be filled again.
    func recycle(_ block: LineBlock) { reader.recycle(block) }

    /// Stops the reading (for a replay that has what it wants, or ends before its input, or never
    /// starts: its machine could not be built). Afterwards nothing touches the source.
    public func cancel() {
        ended = true
        reader.stop()
    }
}
