/// One slab: a block of 2^order pages cut into equal slots. Its per-slot data lives in the
/// machine's flat `slots` array from `slotBase`, so the slab itself holds no references.
@usableFromInline struct Slab: Equatable, Sendable {
    /// The cache it belongs to.
    var cache: CacheID
    /// First frame.
    @usableFromInline var pfn: Int32
    /// Order of its pages.
    var order: Int8
    /// The CPU whose active slab it is, or -1.
    var cpu: Int16
    /// True while on the node partial list.
    var onPartial: Bool
    /// True while on a CPU's partial list (replays that place objects as traced).
    var onCPUPartial = false
    /// Objects it holds.
    @usableFromInline var objects: Int32
    /// Objects handed out.
    var inUse: Int32
    /// First free slot (SLUB's freelist head; LIFO), -1 when full.
    var freeHead: Int32
    /// Index of slot 0 in `Machine.slots`.
    @usableFromInline var slotBase: Int32
    /// Node partial list links (slab indices), -1 at the ends.
    var next: Int32
    var prev: Int32
}
