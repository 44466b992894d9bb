/// `alloc_pages()`: zone choice from the GFP flags, watermark checks, `__rmqueue_smallest` with
/// splitting, and migratetype fallback.
extension Machine {
    /// Allocates a block of 2^`order` pages as the kernel's page allocator would.
    ///
    /// The fast path tries each allowed zone, highest first, against its low watermark (with
    /// `ALLOC_NOFRAGMENT` when the preferred zone is Normal); the slow path retries against the min
    /// watermark, lowered for `__GFP_HIGH` and atomic requests as `__zone_watermark_ok()` lowers it.
    /// There is nothing to reclaim in the simulation, so a request that fails both passes fails.
    ///
    /// - Parameters:
    ///   - order: 0...10.
    ///   - gfp: the request's flags; they choose the zone, the migratetype and the reserves.
    ///   - owner: what the pages will hold, for the page map.
    ///   - cpu: the CPU that allocates. With the per-CPU lists on (a replay placing pages as
    ///     traced), a block of order 3 or less of a per-CPU migratetype comes from that CPU's list
    ///     (`rmqueue_pcplist()`, refilled from the buddy lists when empty), as `rmqueue()` takes it.
    /// - Returns: the first frame of the block.
    /// - Throws: ``PageAllocationFailure``; the machine is unchanged and a `pageAllocationFailed`
    ///   event is recorded (with the warning unless `__GFP_NOWARN`).
    /// - Complexity: O(orders) normally; a fallback that moves a pageblock walks its 512 frames.
    @discardableResult
    public mutating func allocPages(order requested: Order, gfp: GFPFlags, owner newOwner: PageOwner = .pages, cpu: Int? = nil)
        throws(PageAllocationFailure) -> PageFrameNumber
    {
        let order = requested.rawValue
        guard order >= 0 && order <= Page.maxOrder else {
            let failure = PageAllocationFailure(reason: .orderTooLarge, order: requested, gfp: gfp)
            record(.pageAllocationFailed(order: requested, gfp: gfp, warn: !gfp.contains(.noWarn)))
            throw failure
        }
        let highest = gfp.highestZone.rawValue
        let type = gfp.migrateType
        // Fast path: low watermark, no reserves. ALLOC_NOFRAGMENT when Normal is the preferred zone
        // (the first pass only takes whole pageblocks from other types), then again without it.
        let noFragment = highest == ZoneKind.normal.rawValue && zones[ZoneKind.normal.rawValue].isPopulated
            && zones[ZoneKind.dma32.rawValue].isPopulated
        let listCPU = takesFromPerCPU(order: order, type: type, cpu: cpu) ? cpu : nil
        var pfn = allocFromZonelist(order: order, highest: highest, type: type, mark: .low, reduction: 0, noFragment: noFragment, cpu: listCPU)
        if pfn < 0 && noFragment {
            pfn = allocFromZonelist(order: order, highest: highest, type: type, mark: .low, reduction: 0, noFragment: false, cpu: listCPU)
        }
        if pfn < 0 {
            // Slow path: kswapd is woken; min watermark with the reserves the flags allow.
            let ignoresWatermarks = gfp.contains(.memalloc) && !gfp.contains(.noMemalloc)
            pfn = allocFromZonelist(order: order, highest: highest, type: type, mark: ignoresWatermarks ? .none : .min,
                                    reduction: reserveAccess(gfp), noFragment: false, cpu: listCPU)
        }
        if pfn < 0 && gfp.contains(.noFail) {
            // __alloc_pages_cpuset_fallback(): a __GFP_NOFAIL request gets ALLOC_MIN_RESERVE as a
            // last resort. The kernel would then loop forever; the simulation reports the failure.
            pfn = allocFromZonelist(order: order, highest: highest, type: type, mark: .min,
                                    reduction: reserveAccess(gfp) | 1, noFragment: false, cpu: listCPU)
        }
        guard pfn >= 0 else {
            record(.pageAllocationFailed(order: requested, gfp: gfp, warn: !gfp.contains(.noWarn)))
            throw PageAllocationFailure(reason: .noMemory, order: requested, gfp: gfp)
        }
        // INVARIANT: the block left the free lists in rmqueue; mark every frame with its owner.
        let count = 1 << order
        if count > 1 {
            frames.updateEach(in: (pfn + 1)..<(pfn + count)) {
                $0.owner = newOwner
                $0.type = type
            }
        }
        frames.update(pfn) {
            $0.order = Int8(order)
            $0.owner = newOwner
            $0.type = type
        }
        let zone = zoneIndex(of: pfn)
        recordUntallied(.pagesAllocated(pfn: PageFrameNumber(pfn), order: requested, migrateType: type, gfp: gfp,
                                        zone: ZoneKind(rawValue: zone) ?? .normal))
        updateLevel(zone: zone)
        return PageFrameNumber(pfn)
    }

    /// Frees a block allocated by ``allocPages(order:gfp:owner:)``, merging it with free buddies.
    ///
    /// - Precondition (checked): `pfn` heads an allocated block of exactly `order`.
    /// - Throws: ``BadPageFree`` when it does not; the machine is unchanged and a violation event
    ///   with the kernel's "Bad page state" wording is recorded.
    /// - Complexity: O(orders).
    public mutating func freePages(_ pfn: PageFrameNumber, order requested: Order) throws(BadPageFree) {
        try freePages(pfn, order: requested, cpu: nil)
    }

    /// `__free_pages()`: as ``freePages(_:order:)``, but with the per-CPU lists on, a block of
    /// order 3 or less in a pageblock of a per-CPU type goes to `cpu`'s list (`free_unref_page()`,
    /// which drains the list at its high mark), as the kernel frees vmalloc's pages.
    /// - Throws: ``BadPageFree`` as ``freePages(_:order:)`` does.
    public mutating func freePages(_ pfn: PageFrameNumber, order requested: Order, cpu: Int?) throws(BadPageFree) {
        let i = pfn.rawValue, order = requested.rawValue
        let problem: BadPageFree.Problem?
        if i < 0 || i >= endPFN || order < 0 || order > Page.maxOrder {
            problem = .notManaged
        } else {
            switch frames[i].owner {
            case .absent, .reserved: problem = .notManaged
            case .free: problem = .alreadyFree
            default:
                if frames[i].order < 0 { problem = .notAllocatedHead }
                else if Int(frames[i].order) != order { problem = .orderMismatch(actual: Order(Int(frames[i].order))) }
                else { problem = nil }
            }
        }
        if let problem {
            let bad = BadPageFree(pfn: pfn, order: requested, problem: problem)
            record(.badPageFree(bad))
            throw bad
        }
        let zone = zoneIndex(of: i)
        recordUntallied(.pagesFreed(pfn: pfn, order: requested, zone: ZoneKind(rawValue: zone) ?? .normal))
        if freesToPerCPU(i, order: order, cpu: cpu), let cpu {
            freeToPerCPU(i, order: order, zone: zone, cpu: cpu)
        } else {
            freeBlock(i, order: order, zone: zone, toTail: false, recordEvents: true)
        }
        updateLevel(zone: zone)
    }

    /// Which watermark a pass checks.
    enum Mark { case low, min, none }

    /// How far below `min` the flags may go, as a fraction removed from min, in 1/8ths:
    /// `__GFP_HIGH` removes half, and an atomic request (6.1: `__GFP_ATOMIC`; 6.18: high and
    /// non-blocking, 6.12 and 6.18) a further quarter of what is left: GFP_ATOMIC ends at 3/8 of min.
    func reserveAccess(_ gfp: GFPFlags) -> Int {
        let high = gfp.contains(.high)
        let harder: Bool
        if configuration.kernel.hasAtomicGFPBit {
            harder = gfp.contains(.atomicBit) && !gfp.contains(.noMemalloc)
        } else {
            harder = high && !gfp.allowsBlocking
        }
        return (high ? 1 : 0) | (harder ? 2 : 0)
    }

    /// `get_page_from_freelist()`: the first zone at or below `highest` that passes the watermark
    /// check and has a block, taken from `cpu`'s per-CPU list when one is given (the caller
    /// checked ``takesFromPerCPU(order:type:cpu:)``), else, or when the list cannot be refilled,
    /// from the buddy lists (`rmqueue()`). Returns the block's frame or -1.
    mutating func allocFromZonelist(order: Int, highest: Int, type: MigrateType, mark: Mark, reduction: Int,
                                    noFragment: Bool, cpu: Int? = nil) -> Int {
        for z in stride(from: highest, through: 0, by: -1) where zones[z].isPopulated {
            if mark != .none && !watermarkOK(zone: z, order: order, mark: mark, highest: highest, reduction: reduction) {
                continue
            }
            if let cpu {
                // rmqueue_pcplist(): an allocation eases the next drains (free_factor or free_count).
                notePerCPUAllocation(zone: z, cpu: cpu)
                let pfn = rmqueuePerCPUList(zone: z, cpu: cpu, order: order, type: type)
                if pfn >= 0 { return pfn }
            }
            let pfn = rmqueue(zone: z, order: order, type: type, noFragment: noFragment)
            if pfn >= 0 { return pfn }
        }
        return -1
    }

    /// `__zone_watermark_ok()`: free pages after the allocation stay above the mark (raised by
    /// `extra` pages: the bulk allocator asks for its whole request at once) plus the lowmem
    /// reserve, and for order > 0 some list of a standard migratetype holds a block of that order or more.
    func watermarkOK(zone z: Int, order: Int, mark: Mark, highest: Int, reduction: Int, extra: Int = 0) -> Bool {
        var min = (mark == .low ? zones[z].watermarks.low : zones[z].watermarks.min) + extra
        if reduction & 1 != 0 { min -= min / 2 }
        if reduction & 2 != 0 { min -= min / 4 }
        let free = zones[z].freePages - ((1 << order) - 1)
        // The zone's inline arrays are read through a buffer pointer: indexing them through the
        // array's element copied the whole zone (193 bytes) each time.
        return zones.withUnsafeBufferPointer { zones in
            if free <= min + zones[z].reserves[highest] { return false }
            if order == 0 { return true }
            for o in order...Page.maxOrder where zones[z].freeBlocks[o] > 0 {
                for t in 0..<3 where freeLists[FreeList.index(zone: z, order: o, type: t)].count > 0 { return true }
            }
            return false
        }
    }

    /// `__rmqueue()`: the smallest block of the wanted type, else a fallback steal (per kernel), then retry.
    mutating func rmqueue(zone z: Int, order: Int, type: MigrateType, noFragment: Bool) -> Int {
        let pfn = rmqueueSmallest(zone: z, order: order, type: type)
        if pfn >= 0 { return pfn }
        if configuration.kernel.splitsFallbackIntoClaimAndSteal {
            let claimed = rmqueueClaim(zone: z, order: order, startType: type, noFragment: noFragment)
            if claimed >= 0 { return claimed }
            return noFragment ? -1 : rmqueueSteal(zone: z, order: order, startType: type)
        }
        while rmqueueFallback61(zone: z, order: order, startType: type, noFragment: noFragment) {
            let retry = rmqueueSmallest(zone: z, order: order, type: type)
            if retry >= 0 { return retry }
        }
        return -1
    }

    /// `__rmqueue_smallest()`: the head of the first non-empty list of `type` at `order` or above,
    /// split down with the upper halves going to list heads.
    @inline(__always)
    mutating func rmqueueSmallest(zone z: Int, order: Int, type: MigrateType) -> Int {
        var current = order
        while current <= Page.maxOrder {
            let list = FreeList.index(zone: z, order: current, type: type.rawValue)
            let head = Int(freeLists[list].head)
            if head >= 0 {
                // takeFreeBlock and expand, through one writer of the frames (see freeBlock).
                let high = current
                // The list heads and zone counters through buffers opened once (as in freeBlock).
                freeLists.withUnsafeMutableBufferPointer { lists in
                    zones.withUnsafeMutableBufferPointer { zs in
                        frames.withWriter { f in
                            Machine.unlink(head, from: &lists[list], frames: f) { $0.order = -1 }
                            zs[z].addFreeBlocks(-1, order: high)
                            var h = high
                            while h > order {
                                h &-= 1
                                let o = Int8(truncatingIfNeeded: h)
                                Machine.link(head &+ (1 << h), into: &lists[FreeList.index(zone: z, order: h, type: type.rawValue)],
                                             atTail: false, frames: f) { $0.order = o; $0.type = type }
                                zs[z].addFreeBlocks(1, order: h)
                            }
                        }
                    }
                }
                // The splits' events, in the order expand() makes them.
                if events.keepsEvents {
                    var h = high
                    while h > order {
                        h &-= 1
                        record(.blockSplit(pfn: PageFrameNumber(head &+ (1 << h)), order: Order(h), zone: ZoneKind(rawValue: z) ?? .normal))
                    }
                }
                return head
            }
            current &+= 1
        }
        return -1
    }

    /// Removes free block `pfn` of `order` from `list`, leaving its frames ownerless for the caller.
    @inline(__always)
    mutating func takeFreeBlock(_ pfn: Int, order: Int, list: Int, zone z: Int) {
        unlinkFreeBlock(pfn, list: list) { $0.order = -1 }
        zones[z].addFreeBlocks(-1, order: order)
    }

    /// `expand()`: returns the upper halves of a block taken at order `high` to the free lists until
    /// a block of order `low` remains at `pfn`. The halves keep `type`.
    @inline(__always)
    mutating func expand(_ pfn: Int, low: Int, high: Int, zone z: Int, type: MigrateType) {
        var h = high
        while h > low {
            h &-= 1
            let half = pfn &+ (1 << h)
            addFreeBlock(half, order: h, zone: z, type: type, atTail: false)
            recordUntallied(.blockSplit(pfn: PageFrameNumber(half), order: Order(h), zone: ZoneKind(rawValue: z) ?? .normal))
        }
    }

    /// Puts free block `pfn` of `order` on a list and marks its frames free.
    @inline(__always)
    mutating func addFreeBlock(_ pfn: Int, order: Int, zone z: Int, type: MigrateType, atTail: Bool) {
        let o = Int8(truncatingIfNeeded: order)
        linkFreeBlock(pfn, list: FreeList.index(zone: z, order: order, type: type.rawValue), atTail: atTail) {
            $0.order = o
            $0.type = type
        }
        zones[z].addFreeBlocks(1, order: order)
    }

    /// The zone index whose span holds `pfn`.
    
    func zoneIndex(of pfn: Int) -> Int {
        if pfn >= zones[2].startPFN.rawValue && zones[2].isPopulated { return 2 }
        return pfn >= zones[1].startPFN.rawValue ? 1 : 0
    }

    /// Records a watermark crossing if the zone's level changed.
    @inline(__always)
    mutating func updateLevel(zone z: Int) {
        let now = zones[z].level(forFreePages: zones[z].freePages)
        if now != zones[z].level {
            let before = zones[z].level
            zones[z].level = now
            record(.watermarkCrossed(zone: ZoneKind(rawValue: z) ?? .normal, from: before, to: now,
                                     freePages: zones[z].freePages))
        }
    }
}
