/// What memtop keeps per object slot, as SLUB debugging keeps it (`orig_size`, `SLAB_STORE_USER`).
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
    /// The Rust allocator type that made the object; nil for the C API (one byte, as the tag was).
    var rustAllocator: AllocatorKind?
    /// Whether the slot is free.
    @usableFromInline var isFree: Bool = true
}
