/// The per-CPU page lists (`struct per_cpu_pages`): for each zone and CPU, lists of free blocks of
/// order 0...3 by order and migratetype, threaded through the frames like the buddy lists.
///
/// A block freed to a per-CPU list is free for the kernel but not in the buddy lists: buddyinfo and
/// `pages free` do not count it, and it does not merge with its buddy until the list drains. Only
/// replays that place pages as a trace did use them (the simulated allocators free straight to the
/// buddy lists, which shows fragmentation more plainly); they are off until enabled.
///
/// # Invariants
/// - Every frame heading a block on a list has owner `.perCPU`, its order, and the list's index in
///   its `perCPUList`; no other frame has a list there.
/// - `pages[z * cpus + c]` is the sum of 2^order over the blocks on that zone-CPU's lists.
struct PerCPUPages: Equatable, Sendable {
    /// Orders the lists hold (`PAGE_ALLOC_COSTLY_ORDER`).
    static let maxOrder = 3
    /// Lists per zone and CPU: orders 0...3 times the three per-CPU migratetypes.
    static let listsPerCPU = (maxOrder + 1) * 3
    var cpus = 0
    var lists: [FreeList] = []
    /// Pages on each zone-CPU's lists.
    var pages: [Int] = []
    /// `high` and `batch` of each zone-CPU.
    var high: [Int] = []
    var batch: [Int] = []
    /// `free_factor` of each zone-CPU: how many times over a drain frees `batch` (doubled by
    /// each drain with no allocation in between, halved by each allocation).
    var freeFactor: [Int] = []
    /// `CONFIG_PCP_BATCH_SCALE_MAX`, the kernel's default.
    static let batchScaleMax = 5
    /// 6.7+ (``KernelVersion/adaptsPerCPUHigh``): the bounds `high` moves between, the pages
    /// freed since the last allocation (`free_count`), the refill scale (`alloc_factor`) and
    /// whether the last free was of a high order (`PCPF_PREV_FREE_HIGH_ORDER`), per zone-CPU.
    var adaptive = false
    var highMin: [Int] = []
    var highMax: [Int] = []
    var freeCount: [Int] = []
    var allocFactor: [Int] = []
    var previousFreeWasHighOrder: [Bool] = []
    /// Whether the lists are in use.
    var isEnabled: Bool { cpus > 0 }

    /// The list index of (zone, cpu, order, migratetype).
    func list(zone z: Int, cpu: Int, order: Int, type: Int) -> Int {
        (z * cpus + cpu) * Self.listsPerCPU + order * 3 + type
    }
}

extension Machine {
    /// Turns on per-CPU page lists with each zone's `high` and `batch` (as zoneinfo's pagesets
    /// show them), for every CPU.
    /// For a 6.7+ kernel, `high` is each list's `high_min`, and its `high_max` is
    /// `zone_highsize()`'s: an eighth of the zone's managed pages over the CPUs, at least four
    /// batches; the lists start at `high_min` unless `startHigh` gives a CPU's own value.
    public mutating func enablePerCPULists(high: [ZoneKind: Int], batch: [ZoneKind: Int], startHigh: [ZoneKind: [Int: Int]] = [:]) {
        let cpus = configuration.cpus
        let zoneOf = { (k: Int) in ZoneKind(rawValue: k / cpus) ?? .normal }
        var p = PerCPUPages()
        p.cpus = cpus
        p.lists = Array(repeating: FreeList(), count: 3 * cpus * PerCPUPages.listsPerCPU)
        p.pages = Array(repeating: 0, count: 3 * cpus)
        p.high = (0..<(3 * cpus)).map { high[zoneOf($0)] ?? 0 }
        p.batch = (0..<(3 * cpus)).map { max(1, batch[zoneOf($0)] ?? 1) }
        p.freeFactor = Array(repeating: 0, count: 3 * cpus)
        if configuration.kernel.adaptsPerCPUHigh {
            p.adaptive = true
            p.highMin = p.high
            // zone_highsize() with MIN_PERCPU_PAGELIST_HIGH_FRACTION: an eighth of the zone, split over the CPUs.
            p.highMax = (0..<(3 * cpus)).map { k in
                let zone = zones[zoneOf(k).rawValue]
                let computed = zone.isPopulated ? max(zone.managedPages / 8 / max(cpus, 1), p.batch[k] << 2) : 0
                return max(computed, p.highMin[k])
            }
            p.high = (0..<(3 * cpus)).map { k in
                min(max(startHigh[zoneOf(k)]?[k % cpus] ?? p.highMin[k], p.highMin[k]), p.highMax[k])
            }
            p.freeCount = Array(repeating: 0, count: 3 * cpus)
            p.allocFactor = Array(repeating: 0, count: 3 * cpus)
            p.previousFreeWasHighOrder = Array(repeating: false, count: 3 * cpus)
        }
        perCPU = p
    }

    /// Whether freed pages go to per-CPU lists first.
    public var perCPUListsEnabled: Bool { perCPU.isEnabled }

    /// Pages on the per-CPU lists of `zone` and `cpu` (zoneinfo's `count:`).
    public func perCPUPageCount(zone: ZoneKind, cpu: Int) -> Int {
        guard perCPU.isEnabled, cpu >= 0, cpu < perCPU.cpus else { return 0 }
        return perCPU.pages[zone.rawValue * perCPU.cpus + cpu]
    }

    /// Pages on all per-CPU lists of `zone`.
    public func perCPUPageCount(zone: ZoneKind) -> Int {
        (0..<max(perCPU.cpus, 0)).reduce(0) { $0 + perCPUPageCount(zone: zone, cpu: $1) }
    }

    /// Whether `cpu`'s free of block `pfn` of `order` goes to its per-CPU list (`free_unref_page()`'s
    /// test): the lists are on, the order is at most 3 (`PAGE_ALLOC_COSTLY_ORDER`) and the pageblock
    /// is of a per-CPU type (unmovable, movable, reclaimable).
    func freesToPerCPU(_ pfn: Int, order: Int, cpu: Int?) -> Bool {
        guard let cpu, perCPU.isEnabled, order <= PerCPUPages.maxOrder, cpu >= 0, cpu < perCPU.cpus else { return false }
        return pageblockType[pfn >> Page.pageblockOrder].rawValue < 3
    }

    /// `free_unref_page()`: block `pfn` of `order` (whose frames the caller has let go) goes to the
    /// head of `cpu`'s list; at `high` the list drains, oldest first, as `free_unref_page_commit()`
    /// drains it (6.1 `mm/page_alloc.c`): `batch` pages times 2^`free_factor` (which each such
    /// drain doubles, up to 32 times, and each allocation halves), leaving at least `batch`; the
    /// whole list when a block above order 0 is freed while `free_factor` is set (`free_high`);
    /// a page at a time when `high` is 0 (no per-CPU list to speak of).
    /// - Precondition: the lists are enabled, `order` ≤ 3 and the pageblock is of a per-CPU type.
    mutating func freeToPerCPU(_ pfn: Int, order: Int, zone z: Int, cpu: Int, drains: Bool = true) {
        let type = pageblockType[pfn >> Page.pageblockOrder]
        if order > 0 {
            frames.updateEach(in: (pfn + 1)..<(pfn + (1 << order))) {
                $0.owner = .perCPU
                $0.placement = .simulated
                $0.order = -1
            }
        }
        let list = perCPU.list(zone: z, cpu: cpu, order: order, type: type.rawValue)
        // The head's fields in the same access as its links.
        let o = Int8(order)
        pcpInsert(pfn, list: list) {
            $0.owner = .perCPU
            $0.placement = .simulated
            $0.order = o
            $0.type = type
        }
        perCPU.pages[z * perCPU.cpus + cpu] += 1 << order
        let k = z * perCPU.cpus + cpu
        guard drains else { return }
        // The list freed to is the one drained first.
        let first = list - k * PerCPUPages.listsPerCPU
        if perCPU.adaptive { return commitAdaptiveFree(k, order: order, zone: z, cpu: cpu, list: first) }
        let freeHigh = perCPU.freeFactor[k] > 0 && order > 0
        let high = freeHigh ? 0 : perCPU.high[k]
        if perCPU.pages[k] >= high { drainPerCPU(zone: z, cpu: cpu, pages: pagesToDrain(k, high: high, freeHigh: freeHigh), first: first) }
    }

    /// `nr_pcp_free()`: how many pages a drain of zone-CPU `k` frees.
    mutating func pagesToDrain(_ k: Int, high: Int, freeHigh: Bool) -> Int {
        if freeHigh { return perCPU.pages[k] }
        let batch = perCPU.batch[k]
        guard high >= batch else { return 1 }
        let (least, most) = (batch, high - batch)
        let pages = batch << perCPU.freeFactor[k]
        if pages < most && perCPU.freeFactor[k] < PerCPUPages.batchScaleMax { perCPU.freeFactor[k] += 1 }
        return min(max(pages, least), most)
    }

    /// `rmqueue_pcplist()`: an allocation from zone-CPU's lists halves its `free_factor` (6.1)
    /// or `free_count` (6.7+).
    mutating func notePerCPUAllocation(zone z: Int, cpu: Int) {
        guard perCPU.isEnabled, cpu >= 0, cpu < perCPU.cpus else { return }
        let k = z * perCPU.cpus + cpu
        if perCPU.adaptive { perCPU.freeCount[k] >>= 1 } else { perCPU.freeFactor[k] >>= 1 }
    }

    /// `free_pcppages_bulk()`: frees `count` pages (at most what the lists hold) from the tails
    /// (the oldest) of a zone-CPU's lists to the buddy lists: list `first` of the zone-CPU's (the
    /// one just freed to) until it is empty or enough is freed, then the next non-empty list in
    /// turn, and so on round (6.1 and 6.12 `mm/page_alloc.c`: "Ensure requested pindex is drained
    /// first", then each list `do ... while (count > 0 && !list_empty(list))`).
    mutating func drainPerCPU(zone z: Int, cpu: Int, pages count: Int, first: Int = 0) {
        let k = z * perCPU.cpus + cpu
        var left = min(count, perCPU.pages[k])
        var l = first - 1, emptyLists = 0
        while left > 0 && emptyLists < PerCPUPages.listsPerCPU {
            l = l + 1 == PerCPUPages.listsPerCPU ? 0 : l + 1
            let list = k * PerCPUPages.listsPerCPU + l
            guard perCPU.lists[list].tail >= 0 else { emptyLists += 1; continue }
            emptyLists = 0
            repeat {
                let tail = Int(perCPU.lists[list].tail)
                let order = Int(frames[tail].order)
                takeFromPerCPU(tail)
                freeBlock(tail, order: order, zone: z, toTail: false, recordEvents: false)
                left -= 1 << order
            } while left > 0 && perCPU.lists[list].tail >= 0
        }
    }

    /// Unlinks the block headed by `pfn` from its per-CPU list; its frames are then the caller's.
    mutating func takeFromPerCPU(_ pfn: Int) {
        guard pfn < frames.count, frames[pfn].perCPUList != Frame.notOnPerCPUList else { return }
        let l = Int(frames[pfn].perCPUList)
        var list = perCPU.lists[l], order = 0
        unlink(pfn, from: &list) {
            order = Int($0.order)
            $0.perCPUList = Frame.notOnPerCPUList
        }
        perCPU.lists[l] = list
        let k = l / PerCPUPages.listsPerCPU
        perCPU.pages[k] -= 1 << order
    }

    /// Puts the free block `pfn` of `order`, just taken off the buddy lists, at the tail of per-CPU
    /// list `list` (`rmqueue_bulk()`'s `list_add_tail`), with no drain.
    mutating func appendToPerCPU(_ pfn: Int, order: Int, list: Int, zone z: Int, cpu: Int) {
        if order > 0 {
            frames.updateEach(in: (pfn + 1)..<(pfn + (1 << order))) {
                $0.owner = .perCPU
                $0.placement = .simulated
                $0.order = -1
            }
        }
        var l = perCPU.lists[list]
        link(pfn, into: &l, atTail: true) {
            $0.owner = .perCPU
            $0.placement = .simulated
            $0.order = Int8(order)
            $0.perCPUList = UInt16(list)
        }
        perCPU.lists[list] = l
        perCPU.pages[z * perCPU.cpus + cpu] += 1 << order
    }

    /// Puts block `pfn` at the head of per-CPU list `list` (`list_add`), applying `set` to its
    /// frame in the same access as its links.
    @inline(__always)
    private mutating func pcpInsert(_ pfn: Int, list: Int, _ set: (inout Frame) -> Void) {
        var l = perCPU.lists[list]
        let index = UInt16(list)
        link(pfn, into: &l, atTail: false) {
            set(&$0)
            $0.perCPUList = index
        }
        perCPU.lists[list] = l
    }

    /// The head of the per-CPU block covering `pfn`, if `pfn` is on a per-CPU list.
    @inline(__always) func perCPUHead(covering pfn: Int) -> Int? {
        guard frames[pfn].owner == .perCPU else { return nil }
        for o in 0...PerCPUPages.maxOrder {
            let h = pfn & ~((1 << o) - 1)
            let f = frames[h]
            if f.owner == .perCPU && Int(f.order) == o && f.perCPUList != Frame.notOnPerCPUList { return h }
        }
        return nil
    }
}
