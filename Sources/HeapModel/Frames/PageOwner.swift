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
