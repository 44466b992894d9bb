/// The simulated machine: physical page frames, zones and the buddy allocator's free lists, with
/// the events its operations produce.
///
/// `Machine` is a value. Its storage is a handful of arrays, each copy-on-write, so copying a machine
/// (a snapshot) is O(1) and the first mutation of a copy pays for the arrays it touches. Two
/// machines compare equal when their memory state is equal; the pending event log is not part of
/// the state.
///
/// Every mutating operation validates first, then mutates, then records events, so a rejected
/// operation leaves the machine exactly as it was.
///
/// # Invariants
/// (checked by ``checkInvariants()``)
/// - Every free block is aligned to its order, lies inside one zone, and is on exactly one free list.
/// - No two free blocks overlap; no free block has a free buddy of the same order (merging is complete).
/// - Per zone: free pages + allocated pages + reserved pages = present pages, and `freePages`,
///   `nrFree` agree with the lists.
public struct Machine: Sendable {
    /// What was simulated.
    public let configuration: MachineConfiguration
    /// The zones, indexed by `ZoneKind.rawValue`; always three entries, some possibly empty.
    public internal(set) var zones: [Zone]
    /// One past the highest frame number of any zone.
    public let endPFN: Int

    /// Every frame's bookkeeping (owner, block order, migratetype, free-list links), by frame number.
    @usableFromInline internal var frames: ChunkedArray<Frame>
    /// The migratetype of each pageblock (2 MiB), indexed by `pfn >> pageblockOrder`.
    internal var pageblockType: [MigrateType]
    /// The buddy free lists, indexed by `FreeList.index(zone:order:type:)`.
    internal var freeLists: [FreeList]

    /// Slab caches in creation order, indexed by `CacheID`.
    @usableFromInline internal var caches: [SlabCache] = []
    /// Every slab; a frame of a slab stores the slab's index in `Frame.next`.
    @usableFromInline internal var slabs: [Slab] = []
    /// Indices of `slabs` whose slab was discarded, for reuse.
    internal var freeSlabIndices: [Int32] = []
    /// The slab each frame belongs to (index into `slabs`), -1 for frames of no slab.
    @usableFromInline internal var slabOfFrame: ChunkedArray<Int32>
    /// Per-slot data of every slab, in ranges (see `Slab.slotBase`).
    @usableFromInline internal var slots: [Slot] = []
    /// Freed slot ranges, indexed by their length (objects per slab, below 2^15), for reuse: an
    /// array, not a dictionary, as every slab made or discarded looks here.
    internal var freeSlotRanges: [[Int32]] = []
    /// Each cache's active slab per CPU (`cache * cpus + cpu`), -1 for none.
    internal var cpuSlabs: [Int32] = []
    /// `kmalloc_caches[type][index]`.
    public internal(set) var kmallocCaches = KmallocCacheTable()

    /// What is known about large allocations outside slabs (large kmalloc, vmalloc), by first frame
    /// or area start: the bytes asked for and the call site.
    package var largeAllocations: [UInt64: AllocationInfo] = [:]
    /// Freed large allocations, kept for double-free reports until the address is reused.
    package var freedLargeAllocations: [UInt64: AllocationInfo] = [:]

    /// The vmalloc range and its areas.
    var vmapSpace: VmapSpace
    /// Sparse page contents by frame; absent pages read as zero.
    var pageContents: [Int32: [UInt8]] = [:]
    /// Per-CPU page lists, when a replay turned them on.
    var perCPU = PerCPUPages()
    /// Empty slabs stay until a trace frees their pages (replays that place pages as the kernel did).
    var keepsEmptySlabs = false
    /// Each cache's per-CPU partial slabs (cache × CPU), in replays that place objects as traced.
    var cpuPartial: [[Int32]] = []
    /// Slabs rebuilt from a capture's counts, by cache, not yet seen where they really are.
    var reconstructedSlabs: [UInt16: [Int32]] = [:]
    /// vmalloc leaves the page-pointer array to the trace, which shows it as an allocation of its own
    /// (a kmalloc, or a nested vmalloc).
    public var pageArraysFromTrace = false
    /// Whether a memory cgroup other than the root has come online, so that pages charged to one
    /// (`__GFP_ACCOUNT`) bypass the bulk allocator (6.1 `memcg_kmem_enabled()`, 6.12
    /// `memcg_kmem_online()`: a static key that `memcg_online_kmem()` turns on for the first
    /// non-root memcg and never off). On by default, as on a machine systemd runs; a replay turns it
    /// off when its trace shows an accounted vmalloc's pages coming from the bulk allocator.
    public var kmemAccounting = true
    /// Boot reservations above the low megabyte are memtop's reckoning, not observed: a trace that
    /// uses such a frame moves the reservation elsewhere.
    public var reservationsAreReconstructed = false

    /// Interned call-site names; index 0 is the site of operations that name none.
    public internal(set) var callSiteNames: [String] = ["memtop_workload+0x0/0x0"]
    var callSiteIndex: [String: CallSite] = ["memtop_workload+0x0/0x0": .unknown]
    /// The call chains a trace recorded for its sites (`perf script -g`); bookkeeping, like the names.
    public var callStacks = CallStacks()

    /// The events recorded since the caller last took them.
    public internal(set) var events: EventLog

    /// Boot-time reservations by frame range, for the page map's legend and `/proc/zoneinfo`-like output.
    public let bootReservations: [BootReservation]
}

extension Machine: Equatable {
    /// Compares memory state: zones, every frame's owner and order, pageblock types, free lists,
    /// caches, slabs, vmalloc areas and contents. Pending events, the operation log and the table
    /// of interned call-site names are bookkeeping, not memory state, and are not compared.
    public static func == (lhs: Machine, rhs: Machine) -> Bool {
        lhs.configuration == rhs.configuration && lhs.zones == rhs.zones && lhs.frames == rhs.frames
            && lhs.pageblockType == rhs.pageblockType && lhs.freeLists == rhs.freeLists
            && lhs.caches == rhs.caches && lhs.slabs == rhs.slabs && lhs.freeSlabIndices == rhs.freeSlabIndices
            && lhs.slots == rhs.slots && lhs.cpuSlabs == rhs.cpuSlabs && lhs.slabOfFrame == rhs.slabOfFrame
            && lhs.largeAllocations == rhs.largeAllocations && lhs.freedLargeAllocations == rhs.freedLargeAllocations
            && lhs.kmallocCaches == rhs.kmallocCaches && lhs.vmapSpace == rhs.vmapSpace
            && lhs.pageContents == rhs.pageContents && lhs.perCPU == rhs.perCPU && lhs.cpuPartial == rhs.cpuPartial
    }
}

extension Machine {
    /// The owner of frame `pfn`; `.absent` outside the machine.
    @inlinable @inline(__always) public func owner(of pfn: PageFrameNumber) -> PageOwner {
        let i = pfn.rawValue
        return i >= 0 && i < endPFN ? frames[i].owner : .absent
    }

    /// The order of the block `pfn` heads, or nil when it heads none (a tail page, a hole, reserved).
    public func blockOrder(at pfn: PageFrameNumber) -> Int? {
        let i = pfn.rawValue
        guard i >= 0 && i < endPFN, frames[i].order >= 0 else { return nil }
        return Int(frames[i].order)
    }

    /// The migratetype of the pageblock holding `pfn`.
    public func pageblockMigrateType(of pfn: PageFrameNumber) -> MigrateType {
        pageblockType[pfn.rawValue >> Page.pageblockOrder]
    }

    /// The zone whose span holds `pfn`, if any.
    public func zone(containing pfn: PageFrameNumber) -> ZoneKind? {
        for zone in zones where zone.isPopulated && zone.span.contains(pfn) {
            return zone.kind
        }
        return nil
    }

    /// The zone of the given kind.
    public subscript(zone kind: ZoneKind) -> Zone { zones[kind.rawValue] }

    /// The populated zones, lowest first, as /proc lists them.
    public var populatedZones: [Zone] { zones.filter(\.isPopulated) }

    /// Free blocks of `order` on the `migrateType` list of `zone` (pagetypeinfo's cells).
    public func freeBlockCount(zone: ZoneKind, order: Order, migrateType: MigrateType) -> Int {
        freeLists[FreeList.index(zone: zone.rawValue, order: order.rawValue, type: migrateType.rawValue)].count
    }

    /// Total free pages over all zones.
    public var totalFreePages: Int { zones.reduce(0) { $0 + $1.freePages } }

    /// Total pages the buddy allocator manages over all zones.
    public var totalManagedPages: Int { zones.reduce(0) { $0 + $1.managedPages } }

    /// Counts frames by owner over `range` (for statistics and the page map).
    /// - Complexity: O(range.count).
    public func ownerCounts(in range: Range<PageFrameNumber>? = nil) -> [PageOwner: Int] {
        let r = range?.rawValues ?? 0..<endPFN
        var counts: [PageOwner: Int] = [:]
        for i in r.clamped(to: 0..<endPFN) { counts[frames[i].owner, default: 0] += 1 }
        return counts
    }
}

extension Machine: CustomStringConvertible {
    /// A one-line summary (test failures print this rather than every frame).
    public var description: String {
        "Machine(\(ByteSize.format(configuration.ramBytes)), \(configuration.cpus) CPUs, kernel \(configuration.kernel), "
            + "free \(totalFreePages)/\(totalManagedPages) pages, buddyinfo \(zones.filter(\.isPopulated).map { "\($0.kind): \($0.nrFree)" }))"
    }
}
