#if canImport(Glibc)
import Glibc
#endif

/// One decoded line of a block and where its text is in the block's memory.
struct DecodedEntry {
    var line: DecodedLine
    var start: Int32
    var length: Int32
}

/// A block's decoded lines, in memory of their own that is mapped once and kept for the life of
/// the block.
///
/// Why not an array: a block's array grew by doubling into fresh memory each time, and sixteen
/// blocks' arrays, copied as they grew, were most of a replay's page faults (a fifth of its CPU
/// time went to the kernel). Here the memory is reserved for a block's worth of short lines
/// without a copy, touched only as far as the lines go, and asked for in huge pages where the
/// kernel gives them (`madvise(MADV_HUGEPAGE)`; transparent huge pages are `madvise` in
/// Debian's default).
///
/// # Invariants
/// `base` points to `capacity` entries of mapped memory, of which the first `count` are the
/// block's lines. `DecodedEntry` is trivial and every bit pattern of zeros is one (a comment at
/// line 0), so the fresh mapping's zeros, and whatever a block left, are entries already: a new
/// line is assigned in place, never needing an initialization first, and none needs
/// deinitializing. The memory belongs to the block that holds this (one thread at a time, as
/// ``LineBlock`` says).
final class DecodedLines {
    private(set) var base: UnsafeMutablePointer<DecodedEntry>
    private(set) var capacity: Int
    var count = 0
    /// The mapping: `base` rounded to a huge page within it.
    private var mapping: UnsafeMutableRawPointer
    private var mappedBytes: Int

    /// Entries reserved at first: a block of lines of 16 bytes on average (the shortest events
    /// are three times that); a block of shorter lines grows.
    static let initialCapacity = LineSource.blockSize / 16
    static let hugePage = 2 << 20

    init() {
        // Assignment in place (not initialization) relies on the entry being plain data.
        precondition(_isPOD(DecodedEntry.self), "decoded lines must be plain data")
        (mapping, mappedBytes, base, capacity) = Self.map(entries: Self.initialCapacity)
    }

    deinit { munmap(mapping, mappedBytes) }

    /// Memory for `entries` entries, its start on a huge page's boundary (the mapping is a huge
    /// page larger to allow for it). Reserved, not touched: a page counts once a line is written there.
    private static func map(entries: Int) -> (UnsafeMutableRawPointer, Int, UnsafeMutablePointer<DecodedEntry>, Int) {
        let bytes = entries * MemoryLayout<DecodedEntry>.stride + hugePage
        guard let p = mmap(nil, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), p != MAP_FAILED else {
            // Out of address space: nothing later in the replay could work either.
            fatalError("memtop: cannot reserve \(bytes) bytes for a block of decoded lines (errno \(errno))")
        }
        let aligned = (Int(bitPattern: p) + hugePage - 1) & ~(hugePage - 1)
        let start = UnsafeMutableRawPointer(bitPattern: aligned)!
        _ = madvise(start, bytes - (aligned - Int(bitPattern: p)), MADV_HUGEPAGE)
        return (p, bytes, start.bindMemory(to: DecodedEntry.self, capacity: entries), entries)
    }

    /// Room for at least one more entry: the entries move to memory twice as large (rare: a block
    /// of lines shorter than 16 bytes on average).
    func grow() {
        let (newMapping, newBytes, newBase, newCapacity) = Self.map(entries: capacity * 2)
        newBase.update(from: base, count: count)
        munmap(mapping, mappedBytes)
        (mapping, mappedBytes, base, capacity) = (newMapping, newBytes, newBase, newCapacity)
    }

    /// The entries, read in place.
    var entries: UnsafeMutableBufferPointer<DecodedEntry> { UnsafeMutableBufferPointer(start: base, count: count) }

    subscript(i: Int) -> DecodedEntry {
        precondition(i >= 0 && i < count, "decoded line \(i) of \(count)")
        return base[i]
    }
}
