/// One thing the machine did, with a sequence number.
///
/// Events are past-tense facts with typed payloads. They are recorded into the machine's
/// ``EventLog`` only while recording is on; with recording off, operations skip building them.
public struct HeapEvent: Hashable, Sendable {
    /// Position in the machine's event stream, from 0, counting every recorded event.
    public let sequence: UInt64
    /// What happened.
    public let kind: Kind

    /// Creates an event.
    public init(sequence: UInt64, kind: Kind) {
        self.sequence = sequence
        self.kind = kind
    }

    /// What happened.
    public enum Kind: Hashable, Sendable {
        /// `mm_page_alloc`: a block of 2^order frames left the free lists.
        case pagesAllocated(pfn: PageFrameNumber, order: Order, migrateType: MigrateType, gfp: GFPFlags, zone: ZoneKind)
        /// `mm_page_free`: a block went back to the buddy allocator.
        case pagesFreed(pfn: PageFrameNumber, order: Order, zone: ZoneKind)
        /// `alloc_pages` returned NULL; `warn` is true unless `__GFP_NOWARN` (the kernel then prints
        /// "page allocation failure").
        case pageAllocationFailed(order: Order, gfp: GFPFlags, warn: Bool)
        /// A split put the upper half `pfn` of `order` on a free list.
        case blockSplit(pfn: PageFrameNumber, order: Order, zone: ZoneKind)
        /// A freed block merged with its buddy into the block at `pfn` of `order`.
        case buddiesMerged(pfn: PageFrameNumber, order: Order, zone: ZoneKind)
        /// `mm_page_alloc_extfrag`: a request took a block of another migratetype.
        case fallbackTaken(pfn: PageFrameNumber, allocOrder: Order, fallbackOrder: Order, allocType: MigrateType,
                           fallbackType: MigrateType, changedOwnership: Bool)
        /// A zone's free pages crossed a watermark (kswapd wakes below low).
        case watermarkCrossed(zone: ZoneKind, from: WatermarkLevel, to: WatermarkLevel, freePages: Int)
        /// A page free that matches no allocation was refused (the kernel's "Bad page state").
        case badPageFree(BadPageFree)
        /// SLUB took a new slab of `objects` slots for `cache` from the buddy allocator.
        case slabCreated(cache: CacheID, pfn: PageFrameNumber, order: Order, objects: Int)
        /// An empty slab's pages went back to the buddy allocator.
        case slabDestroyed(cache: CacheID, pfn: PageFrameNumber, order: Order)
        /// `kmalloc` returned `ptr` (tracepoint `kmalloc`); `cache` is nil for a large kmalloc straight
        /// from the buddy allocator.
        case objectAllocated(ptr: VirtualAddress, bytesReq: Int, bytesAlloc: Int, gfp: GFPFlags, cache: CacheID?, site: CallSite)
        /// `kmem_cache_alloc` returned `ptr` (tracepoint `kmem_cache_alloc`).
        case cacheObjectAllocated(ptr: VirtualAddress, cache: CacheID, gfp: GFPFlags, site: CallSite)
        /// `kfree` was called (tracepoint `kfree`, recorded before any check, so NULL and
        /// ZERO_SIZE_PTR frees appear too).
        case objectFreed(ptr: VirtualAddress, site: CallSite)
        /// `kmem_cache_free` freed `ptr` (tracepoint `kmem_cache_free`).
        case cacheObjectFreed(ptr: VirtualAddress, cache: CacheID, site: CallSite)
        /// An allocation API returned NULL; `warn` unless `__GFP_NOWARN`.
        case allocationFailed(function: AllocatorFunction, size: Int, gfp: GFPFlags, warn: Bool)
        /// `vmalloc` mapped an area of `size` bytes (guard page included) at `start`.
        case areaAllocated(start: VirtualAddress, size: Int, align: Int, requested: Int, gfp: GFPFlags, site: CallSite)
        /// `vfree` gave the area's pages back; its range waits for the lazy purge.
        case areaFreed(start: VirtualAddress, size: Int, site: CallSite)
        /// `vrealloc` resized an area in place.
        case areaResizedInPlace(start: VirtualAddress, oldSize: Int, newSize: Int)
        /// `__purge_vmap_area_lazy()` returned lazily freed ranges to the free space.
        case vmapPurged(areas: Int, pages: Int)
        /// A Rust allocator type's `realloc` returned (an alloc when `old` is nil, a free when `newSize` is 0).
        case rustReallocated(allocator: AllocatorKind, old: VirtualAddress?, new: VirtualAddress?, oldSize: Int, newSize: Int,
                             align: Int)
        /// A contract violation was detected and refused.
        case contractViolated(ContractViolation)
    }
}
