/// A block of whole trace lines and what the decoder made of them, passed from the thread that
/// decoded it to the simulating one.
///
/// # Invariants
/// A block belongs to one thread at a time: the one that took it from the source and decodes it,
/// then the simulating one, until it gives it back. That hand-over through ``BlockReader`` (under
/// its lock) is why it can be `@unchecked Sendable`.
final class LineBlock: @unchecked Sendable {
    /// The block's own buffer, which a source that reads (rather than maps) its file fills;
    /// allocated when first needed, so that the blocks of a mapped file cost none.
    var buffer: UnsafeMutableRawPointer?
    var capacity = 0
    /// Where the lines are: `buffer`, or a mapped file's bytes (nil before a source gave any).
    var memory: UnsafeRawPointer?
    /// The mapped file `memory` points into, held while the block holds its lines.
    var mapping: MappedFile?
    /// The input offset of `memory[0]`.
    var fileOffset: Int64 = 0
    /// Where in `memory` the block's lines end (the next line starts there).
    var end = 0
    /// The block's place in the input: 0 for the first block read, then 1, 2, ...
    var sequence = 0
    /// The lines, decoded, with each line's place in `memory`.
    let decoded = DecodedLines()
    /// The decoder's errors, referenced by `DecodedLine.error`.
    var errors: [TraceInputError] = []
    /// An error that ends the input after the decoded lines (binary data, an over-long line).
    var fatal: TraceInputError?
    /// No block follows.
    var isLast = false

    deinit { buffer?.deallocate() }

    /// The block's own buffer, allocated the first time.
    func ownBuffer() -> UnsafeMutableRawPointer {
        if let buffer { return buffer }
        let fresh = UnsafeMutableRawPointer.allocate(byteCount: LineSource.blockSize, alignment: 16)
        (buffer, capacity) = (fresh, LineSource.blockSize)
        return fresh
    }

    /// Numbers the block's errors and its fatal error (found at lines numbered from 1 within the
    /// block) as lines of the input, `before` being the input's lines before the block. The lines
    /// themselves are renumbered as they are applied.
    func shiftErrors(by before: Int) {
        guard before != 0 else { return }
        func shifted(_ e: TraceInputError) -> TraceInputError { TraceInputError(file: e.file, line: e.line.map { $0 + before }, message: e.message) }
        if !errors.isEmpty { errors = errors.map(shifted) }
        fatal = fatal.map(shifted)
    }

    func reset() {
        mapping = nil
        fatal = nil
        isLast = false
        end = 0
        decoded.count = 0
        errors.removeAll(keepingCapacity: true)
    }
}
