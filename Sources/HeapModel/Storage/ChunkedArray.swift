/// An array kept in chunks of ``chunkSize`` elements, each its own copy-on-write buffer.
///
/// A copy of a machine shares every chunk with the original, and a write copies only the chunk it
/// lands in (4,096 frames: 64 KiB of frame records). So time travel's snapshots of a 64 GiB machine
/// cost what changed between them, not 16 million frame records each.
///
/// Chunks are aligned to 4,096 elements, which is larger than the largest buddy block (order 10), so
/// every block's frames lie in one chunk.
///
/// It grows only at the end (``append(_:)``), so a list a workload keeps growing shares all but its
/// last chunk with the snapshots taken before.
///
/// # Invariants
/// - `chunks` holds `ceil(count / chunkSize)` buffers; all but the last hold `chunkSize` elements.
public struct ChunkedArray<Element>: RandomAccessCollection, MutableCollection {
    /// log2 of the chunk size.
    @usableFromInline static var shift: Int { 12 }
    /// Elements per chunk.
    @inlinable public static var chunkSize: Int { 1 << shift }

    @usableFromInline var chunks: [ContiguousArray<Element>]
    /// The number of elements.
    public private(set) var count: Int

    /// An empty array.
    public init() {
        count = 0
        chunks = []
    }

    /// `count` copies of `element`.
    public init(repeating element: Element, count: Int) {
        precondition(count >= 0, "a chunked array cannot have \(count) elements")
        self.count = count
        // Every full chunk starts as the same buffer: a table nobody has written costs one chunk.
        let size = Self.chunkSize
        let full = ContiguousArray(repeating: element, count: size)
        chunks = stride(from: 0, to: count, by: size).map { count - $0 >= size ? full : ContiguousArray(repeating: element, count: count - $0) }
    }

    /// The elements of `array`, in order.
    public init(_ array: [Element]) {
        count = array.count
        chunks = stride(from: 0, to: array.count, by: Self.chunkSize).map {
            ContiguousArray(array[$0..<Swift.min($0 + Self.chunkSize, array.count)])
        }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    /// The element at `i`.
    /// - Precondition: `0 <= i < count`.
    @inlinable public subscript(i: Int) -> Element {
        get { chunks[i &>> Self.shift][i & (Self.chunkSize - 1)] }
        _modify { yield &chunks[i &>> Self.shift][i & (Self.chunkSize - 1)] }
    }

    /// Calls `body` on element `i` in place: one access, so that writing several fields of one
    /// element checks the chunk's uniqueness once, where a write per field checks it per field.
    /// - Precondition: `0 <= i < count`.
    @inlinable @inline(__always) public mutating func update<R>(_ i: Int, _ body: (inout Element) -> R) -> R {
        body(&chunks[i &>> Self.shift][i & (Self.chunkSize - 1)])
    }

    /// Calls `body` on each element of `range` in place, in order: one uniqueness check per chunk,
    /// where writing fields one by one through the subscript checks twice per field.
    /// - Precondition: `range` is within `0..<count`.
    @inlinable public mutating func updateEach(in range: Range<Int>, _ body: (inout Element) -> Void) {
        withWriter { $0.updateEach(in: range, body) }
    }

    /// Runs `body` with a writer: write access to the elements for the length of `body` that
    /// checks the array's uniqueness once, where each write through the subscript checks it again
    /// (a chunk's own uniqueness is still checked per write). For the buddy allocator's list
    /// operations, which write a handful of frames per page.
    @inlinable public mutating func withWriter<R>(_ body: (inout Writer) -> R) -> R {
        let count = self.count
        return chunks.withUnsafeMutableBufferPointer { outer in
            var writer = Writer(chunks: outer, count: count)
            return body(&writer)
        }
    }

    /// Write access to a chunked array's elements for the length of ``ChunkedArray/withWriter(_:)``.
    public struct Writer {
        @usableFromInline let chunks: UnsafeMutableBufferPointer<ContiguousArray<Element>>
        @usableFromInline let count: Int

        @inlinable init(chunks: UnsafeMutableBufferPointer<ContiguousArray<Element>>, count: Int) {
            self.chunks = chunks
            self.count = count
        }

        /// The element at `i`.
        /// - Precondition: `0 <= i < count`.
        @inlinable public subscript(i: Int) -> Element {
            get { chunks[i &>> ChunkedArray.shift][i & (ChunkedArray.chunkSize - 1)] }
            nonmutating _modify { yield &chunks[i &>> ChunkedArray.shift][i & (ChunkedArray.chunkSize - 1)] }
        }

        /// Calls `body` on element `i` in place.
        /// - Precondition: `0 <= i < count`.
        @inlinable @inline(__always) public func update<R>(_ i: Int, _ body: (inout Element) -> R) -> R {
            body(&chunks[i &>> ChunkedArray.shift][i & (ChunkedArray.chunkSize - 1)])
        }

        /// Calls `body` on each element of `range` in place, in order: one uniqueness check per
        /// chunk (a block's frames lie in one), where ``update(_:_:)`` checks per element.
        /// - Precondition: `range` is within `0..<count`.
        @inlinable public func updateEach(in range: Range<Int>, _ body: (inout Element) -> Void) {
            precondition(range.lowerBound >= 0 && range.upperBound <= count, "range \(range) of a chunked array of \(count)")
            var i = range.lowerBound
            while i < range.upperBound {
                let c = i &>> ChunkedArray.shift
                let end = Swift.min(range.upperBound, (c + 1) << ChunkedArray.shift)
                chunks[c].withUnsafeMutableBufferPointer { chunk in
                    for j in i..<end { body(&chunk[j & (ChunkedArray.chunkSize - 1)]) }
                }
                i = end
            }
        }
    }

    /// Adds `element` at the end: into the last chunk, or a new one when it is full.
    public mutating func append(_ element: Element) {
        if count & (Self.chunkSize - 1) == 0 {
            var chunk = ContiguousArray<Element>()
            chunk.reserveCapacity(Self.chunkSize)
            chunk.append(element)
            chunks.append(chunk)
        } else {
            chunks[chunks.count - 1].append(element)
        }
        count += 1
    }

    /// Counts each chunk's buffer in `census` (once, however many copies share it).
    public func count(in census: inout StorageCensus) {
        forEachBuffer { census.count(buffer: $0, bytes: $1) }
    }

    /// Calls `body` with the address and byte size of each chunk's buffer: what a census of the
    /// memory several copies hold counts once per buffer.
    public func forEachBuffer(_ body: (UnsafeRawPointer, Int) -> Void) {
        for chunk in chunks {
            chunk.withUnsafeBufferPointer { b in
                if let base = b.baseAddress { body(UnsafeRawPointer(base), b.count * MemoryLayout<Element>.stride) }
            }
        }
    }
}

extension ChunkedArray: Equatable where Element: Equatable {
    /// Element by element; chunks still shared by both sides compare equal without a walk.
    public static func == (lhs: ChunkedArray, rhs: ChunkedArray) -> Bool {
        lhs.count == rhs.count && lhs.chunks == rhs.chunks
    }
}

extension ChunkedArray: Sendable where Element: Sendable {}
