/// Who holds a physical page, as the page map colours it.
public enum PageOwner: Hashable, Sendable {
    /// No RAM behind this frame number (a firmware hole), or outside every zone.
    case absent
    /// Reserved at boot (kernel image, memmap, firmware, the low megabyte); never in the buddy lists.
    case reserved
    /// On a buddy free list (the head page or a tail page of a free block).
    case free
    /// Handed out by `alloc_pages` to a caller memtop does not model further (page tables, other).
    case pages
    /// A slab of the cache with this id.
    case slab(CacheID)
    /// A large kmalloc (above 8 KiB), a compound page straight from the buddy allocator.
    case largeKmalloc
    /// A backing page of a vmalloc area.
    case vmalloc
    /// A page a trace shows allocated but no simulated allocator made (page cache, user pages).
    case outside
    /// Freed to a CPU's per-CPU page list: free for the kernel, but not in the buddy lists (nor in
    /// buddyinfo) until the list drains.
    case perCPU

    /// True for pages some allocation holds (not free, reserved or absent).
    public var isAllocated: Bool {
        switch self {
        case .absent, .reserved, .free, .perCPU: return false
        default: return true
        }
    }
}

/// The identity of a slab cache inside one machine: an index into its cache table.
public struct CacheID: RawRepresentable, Hashable, Comparable, Sendable, Codable {
    /// The index.
    public var rawValue: UInt16
    /// Wraps an index.
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// Orders ids by creation.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}

/// Who decided where an allocated block lies.
public enum Placement: UInt8, Hashable, Sendable {
    /// memtop's own allocators chose it (a workload, or where a trace is silent).
    case simulated
    /// A trace says the kernel put it there (`mm_page_alloc pfn=`, an object's real address).
    case observed
    /// Rebuilt from a capture's /proc counts: something of this kind was allocated, but /proc does
    /// not say where, so memtop picked a place consistent with the counts.
    case reconstructed
}
