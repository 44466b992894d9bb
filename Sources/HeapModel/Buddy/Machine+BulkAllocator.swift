/// The per-CPU side of page allocation: `rmqueue_pcplist()` for small blocks and the bulk
/// allocator vmalloc fills its areas with (`alloc_pages_bulk()`), for replays that keep per-CPU
/// page lists (memtop's own runs have none, and allocate from the buddy lists).
extension Machine {
    /// Whether an allocation of `order` and `type` by `cpu` comes from that CPU's per-CPU list
    /// (`pcp_allowed_order()`: order 3 or less; a migratetype with a per-CPU list).
    func takesFromPerCPU(order: Int, type: MigrateType, cpu: Int?) -> Bool {
        guard let cpu, perCPU.isEnabled, order <= PerCPUPages.maxOrder, cpu >= 0, cpu < perCPU.cpus else { return false }
        return type.rawValue < 3
    }

    /// `__rmqueue_pcplist()`: the block at the head of `cpu`'s list of `order` and `type` in zone
    /// `z` (the one freed last), taken off the list; an empty list is first refilled from the
    /// buddy lists (`rmqueue_bulk()`: their blocks in the order `__rmqueue()` gives them, the first
    /// of them the one taken). Returns the block's frame, or -1 when the buddy lists have none.
    /// - Precondition: ``takesFromPerCPU(order:type:cpu:)``.
    mutating func rmqueuePerCPUList(zone z: Int, cpu: Int, order: Int, type: MigrateType) -> Int {
        let list = perCPU.list(zone: z, cpu: cpu, order: order, type: type.rawValue)
        let head = Int(perCPU.lists[list].head)
        if head >= 0 {
            takeFromPerCPU(head)
            return head
        }
        let first = rmqueue(zone: z, order: order, type: type, noFragment: false)
        guard first >= 0 else { return -1 }
        refillPerCPUList(list, zone: z, cpu: cpu, order: order, type: type)
        return first
    }

    /// The rest of `rmqueue_bulk()`'s refill of the empty list `list`, the first block of which the
    /// caller has taken: the blocks after it, in the order `__rmqueue()` gives them, to the list's
    /// tail. The count is `max(batch >> order, 2)` (6.1), or `nr_pcp_alloc()`'s, which grows `high`
    /// and the refill scale (6.7+).
    mutating func refillPerCPUList(_ list: Int, zone z: Int, cpu: Int, order: Int, type: MigrateType) {
        let k = z * perCPU.cpus + cpu, batch = perCPU.batch[k]
        let count = perCPU.adaptive ? adaptiveRefillCount(k, zone: z, order: order) : (batch > 1 ? max(batch >> order, 2) : batch)
        for _ in 1..<max(count, 1) {
            let pfn = rmqueue(zone: z, order: order, type: type, noFragment: false)
            guard pfn >= 0 else { break }
            appendToPerCPU(pfn, order: order, list: list, zone: z, cpu: cpu)
        }
    }

    /// `alloc_pages_bulk()` (6.1 `__alloc_pages_bulk()`, 6.12 `alloc_pages_bulk_noprof()`): up to
    /// `count` order-0 pages for `cpu`, appended to `pages`; returns how many it got.
    ///
    /// The first zone, highest first, whose free pages stay above the low watermark plus the
    /// whole request gives them all, each from the head of `cpu`'s per-CPU list (refilled from the
    /// buddy lists when empty), until the list can be refilled no more. The bulk path is not taken
    /// for one page, for memory charged to a memory cgroup (`__GFP_ACCOUNT`) once memcg kmem
    /// accounting is on (``kmemAccounting``: once a non-root cgroup exists, as systemd makes), for a
    /// migratetype without per-CPU lists, or without per-CPU lists at all (memtop's own runs):
    /// then, as when no zone passes the check or its first page cannot be had, one page comes
    /// from ``allocPages(order:gfp:owner:cpu:)`` (the kernel's `__alloc_pages()`, which, unlike the
    /// bulk pages, is traced as `mm_page_alloc`).
    public mutating func allocPagesBulk(_ count: Int, gfp: GFPFlags, owner: PageOwner, cpu: Int?, into pages: inout [Int32]) -> Int {
        guard count > 0 else { return 0 }
        let type = gfp.migrateType, highest = gfp.highestZone.rawValue
        guard count > 1, !(kmemAccounting && gfp.contains(.account)), let cpu, takesFromPerCPU(order: 0, type: type, cpu: cpu),
              let z = stride(from: highest, through: 0, by: -1).first(where: {
                  zones[$0].isPopulated && watermarkOK(zone: $0, order: 0, mark: .low, highest: highest, reduction: 0, extra: count)
              }) else {
            return singlePage(gfp: gfp, owner: owner, cpu: cpu, into: &pages)
        }
        var got = 0
        while got < count {
            let pfn = rmqueuePerCPUList(zone: z, cpu: cpu, order: 0, type: type)
            guard pfn >= 0 else {
                if got == 0 { return singlePage(gfp: gfp, owner: owner, cpu: cpu, into: &pages) }
                break
            }
            frames.update(pfn) {
                $0.order = 0
                $0.owner = owner
                $0.type = type
            }
            recordUntallied(.pagesAllocated(pfn: PageFrameNumber(pfn), order: Order(0), migrateType: type, gfp: gfp,
                                            zone: ZoneKind(rawValue: z) ?? .normal))
            pages.append(Int32(pfn))
            got += 1
        }
        updateLevel(zone: z)
        return got
    }

    /// The bulk allocator's `failed:` path: one page from the page allocator, or none.
    private mutating func singlePage(gfp: GFPFlags, owner: PageOwner, cpu: Int?, into pages: inout [Int32]) -> Int {
        guard let pfn = try? allocPages(order: Order(0), gfp: gfp, owner: owner, cpu: cpu) else { return 0 }
        pages.append(Int32(pfn.rawValue))
        return 1
    }
}
