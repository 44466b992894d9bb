/// The bytes a set of values holds when their copy-on-write buffers may be shared: each buffer is
/// counted once, by its address. Time travel uses it to keep its snapshots within a memory budget,
/// counting only what they do not share with the live machine.
public struct StorageCensus {
    private var seen: Set<UnsafeRawPointer> = []
    /// Bytes of the buffers counted so far (those passed to ``exclude(buffer:)`` are not).
    public private(set) var bytes = 0

    /// An empty census.
    public init() {}

    /// Counts `bytes` for the buffer at `buffer`, unless it was counted or excluded before.
    public mutating func count(buffer: UnsafeRawPointer, bytes: Int) {
        if seen.insert(buffer).inserted { self.bytes += bytes }
    }

    /// Counts an array's buffer (its elements, not its spare capacity).
    public mutating func count<Element>(_ array: [Element]) {
        array.withUnsafeBufferPointer { b in
            if let base = b.baseAddress { count(buffer: UnsafeRawPointer(base), bytes: b.count * MemoryLayout<Element>.stride) }
        }
    }

    /// Runs `body` with a census in which what it counts is only marked as seen: the buffers of a
    /// value whose memory is paid for anyway (the live machine), which later counts then skip.
    public mutating func exclude(_ body: (inout StorageCensus) -> Void) {
        let before = bytes
        body(&self)
        bytes = before
    }
}
