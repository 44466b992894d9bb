/// What memtop keeps per object slot, as SLUB debugging keeps it (`orig_size`, `SLAB_STORE_USER`).
///
/// # Invariants
/// The free slots of a slab form a doubly linked list from its `freeHead`: `nextFree` and
/// `prevFree` mirror each other, and an allocated slot has both at -1.
@usableFromInline struct Slot: Equatable, Sendable {
    /// Bytes the last allocation asked for.
    @usableFromInline var requested: UInt32 = 0
    /// Call sites of the last allocation and free.
    @usableFromInline var allocSite: UInt32 = 0
    @usableFromInline var freeSite: UInt32 = 0
    /// Next free slot of the slab (the free pointer SLUB stores inside the free object), -1 at the
    /// end. 16 bits suffice: a slab holds at most `MAX_OBJS_PER_PAGE` (32767) objects, and it keeps
    /// the record at 16 bytes, four to a cache line.
    var nextFree: Int16 = -1
    /// Previous free slot of the slab, -1 at the head: a replay's traced allocation takes a slot
    /// from anywhere in the freelist, and this unlinks it without walking the list.
    var prevFree: Int16 = -1
    /// The Rust allocator type that made the object; nil for the C API (one byte, as the tag was).
    var rustAllocator: AllocatorKind?
    /// Whether the slot is free.
    @usableFromInline var isFree: Bool = true
}
