/// What memtop keeps per object slot, as SLUB debugging keeps it (`orig_size`, `SLAB_STORE_USER`),
/// and the slot's links in its slab's freelist.
///
/// # Invariants
/// A free slot is on its slab's freelist exactly once, `prevFree` naming the slot before it (-1 at
/// the head) and `nextFree` the one after (-1 at the end); a slot in use has `prevFree` ==
/// ``Slot/allocated`` and is on no list. The record stays at 16 bytes, four to a cache line.
@usableFromInline struct Slot: Equatable, Sendable {
    /// Bytes the last allocation asked for in the low 28 bits (a slab object is never that
    /// large), the Rust allocator type that made it in the top four (0 for the C API).
    @usableFromInline var packed: UInt32 = 0
    /// Call sites of the last allocation and free.
    @usableFromInline var allocSite: UInt32 = 0
    @usableFromInline var freeSite: UInt32 = 0
    /// Next free slot of the slab (the free pointer SLUB stores inside the free object), -1 at the
    /// end. 16 bits suffice: a slab holds at most `MAX_OBJS_PER_PAGE` (32767) objects.
    var nextFree: Int16 = -1
    /// The free slot before this one, -1 at the head, ``allocated`` when the slot is in use.
    /// SLUB's list is singly linked; memtop's is doubly linked so that a traced allocation of a
    /// slot in the middle of the list takes it out without a walk (the order is the same).
    @usableFromInline var prevFree: Int16 = -1

    /// `prevFree` of a slot in use.
    @usableFromInline static let allocated: Int16 = -2
    /// The bits of `packed` that hold the requested size (and the largest size they hold).
    @usableFromInline static let requestedMask: UInt32 = (1 << 28) - 1

    /// Whether the slot is free.
    @inlinable var isFree: Bool { prevFree != Slot.allocated }

    /// Bytes the last allocation asked for.
    @inlinable var requested: UInt32 {
        get { packed & Slot.requestedMask }
        set { packed = packed & ~Slot.requestedMask | Swift.min(newValue, Slot.requestedMask) }
    }

    /// `packed` for an allocation of `requested` bytes by the C API (no Rust allocator type).
    @inlinable static func packed(requested: Int) -> UInt32 {
        UInt32(Swift.min(Swift.max(requested, 0), Int(requestedMask)))
    }

    /// The Rust allocator type that made the object; nil for the C API.
    var rustAllocator: AllocatorKind? {
        get {
            switch packed >> 28 {
            case 1: .kmalloc
            case 2: .vmalloc
            case 3: .kvmalloc
            default: nil
            }
        }
        set {
            let tag: UInt32 = switch newValue {
            case nil: 0
            case .kmalloc: 1
            case .vmalloc: 2
            case .kvmalloc: 3
            }
            packed = packed & Slot.requestedMask | tag << 28
        }
    }
}
