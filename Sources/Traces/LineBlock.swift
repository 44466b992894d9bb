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
