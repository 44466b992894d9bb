/// Migratetype fallback: what the page allocator does when the wanted migratetype has no free block.
/// 6.1 steals in `__rmqueue_fallback()`; 6.15+ (so 6.18) splits it into a claim and a steal.
extension Machine {
    /// `can_steal_fallback()` (6.1) / `should_try_claim_block()` (6.18): whole pageblocks may be
    /// taken over for large blocks and for unmovable/reclaimable requests.
    func mayClaimBlock(order: Int, startType: MigrateType) -> Bool {
        order >= Page.pageblockOrder / 2 || startType == .unmovable || startType == .reclaimable
    }

    /// `find_suitable_fallback()`: the first fallback type with a free block at `order`.
    func suitableFallback(zone z: Int, order: Int, startType: MigrateType) -> MigrateType? {
        guard zones.withUnsafeBufferPointer({ $0[z].freeBlocks[order] }) > 0 else { return nil }   // in place: see watermarkOK
        return startType.fallbacks.first { freeLists[FreeList.index(zone: z, order: order, type: $0.rawValue)].count > 0 }
    }

    /// Counts the free pages and the allocated movable pages of the pageblock holding `pfn`, within
    /// the zone. Returns nil when the pageblock crosses the zone boundary.
    func pageblockCensus(_ pfn: Int, zone z: Int) -> (free: Int, movable: Int)? {
        let start = pfn & ~(Page.pageblockPages - 1)
        let end = start + Page.pageblockPages
        guard start >= zones[z].startPFN.rawValue && end <= zones[z].endPFN.rawValue else { return nil }
        var free = 0, movable = 0, i = start
        while i < end {
            if frames[i].owner == .free && frames[i].order >= 0 {
                free += 1 << Int(frames[i].order); i += 1 << Int(frames[i].order); continue
            }
            if frames[i].owner.isAllocated && frames[i].type == .movable { movable += 1 }
            i += 1
        }
        return (free, movable)
    }

    /// Moves every free block of the pageblock holding `pfn` to `type`'s lists (at the tail).
    mutating func moveFreeBlocks(ofPageblock pfn: Int, zone z: Int, to type: MigrateType) {
        let start = pfn & ~(Page.pageblockPages - 1)
        var i = start
        while i < start + Page.pageblockPages {
            if frames[i].owner == .free && frames[i].order >= 0 {
                let order = Int(frames[i].order)
                moveFreeBlock(i, order: order, zone: z, to: type)
                i += 1 << order
            } else {
                i += 1
            }
        }
    }

    /// Moves one free block to the tail of `type`'s list of its order.
    mutating func moveFreeBlock(_ pfn: Int, order: Int, zone z: Int, to type: MigrateType) {
        listRemove(pfn, list: FreeList.index(zone: z, order: order, type: frames[pfn].type.rawValue))
        frames[pfn].type = type
        listInsert(pfn, list: FreeList.index(zone: z, order: order, type: type.rawValue), atTail: true)
    }

    /// Sets the migratetype of every pageblock a block of `order` at `pfn` covers.
    mutating func setPageblockTypes(_ pfn: Int, order: Int, to type: MigrateType) {
        let first = pfn >> Page.pageblockOrder
        let count = max(1, (1 << order) >> Page.pageblockOrder)
        for b in first..<(first + count) { pageblockType[b] = type }
    }

    /// Whether the free and compatible pages of a pageblock reach half of it, so it may change type.
    func pageblockIsAlike(_ census: (free: Int, movable: Int), startType: MigrateType, oldType: MigrateType) -> Bool {
        let alike: Int
        if startType == .movable { alike = census.movable }
        else if oldType == .movable { alike = Page.pageblockPages - census.free - census.movable }
        else { alike = 0 }
        return census.free + alike >= Page.pageblockPages / 2
    }

    // MARK: 6.1

    /// 6.1 `__rmqueue_fallback()`: take the largest block of a fallback type (the smallest when a
    /// movable request may not claim), move it (or its whole pageblock) to the wanted type. Returns
    /// whether anything moved, after which the caller retries `__rmqueue_smallest`.
    mutating func rmqueueFallback61(zone z: Int, order: Int, startType: MigrateType, noFragment: Bool) -> Bool {
        let minOrder = noFragment && order < Page.pageblockOrder ? Page.pageblockOrder : order
        var found: (order: Int, type: MigrateType, claim: Bool)?
        var current = Page.maxOrder
        while current >= minOrder {
            if let type = suitableFallback(zone: z, order: current, startType: startType) {
                let claim = current >= Page.pageblockOrder || mayClaimBlock(order: current, startType: startType)
                if !claim && startType == .movable && current > order {
                    // find_smallest: splitting the smallest block fragments least.
                    for small in order...Page.maxOrder {
                        if let t = suitableFallback(zone: z, order: small, startType: startType) {
                            found = (small, t, false); break
                        }
                    }
                } else {
                    found = (current, type, claim)
                }
                break
            }
            current -= 1
        }
        guard let (blockOrder, fallbackType, claim) = found else { return false }
        let list = FreeList.index(zone: z, order: blockOrder, type: fallbackType.rawValue)
        let pfn = Int(freeLists[list].head)
        let oldType = pageblockType[pfn >> Page.pageblockOrder]
        var changed = false
        if blockOrder >= Page.pageblockOrder {
            setPageblockTypes(pfn, order: blockOrder, to: startType)
            moveFreeBlock(pfn, order: blockOrder, zone: z, to: startType)
            changed = true
        } else if claim, oldType != .highAtomic, let census = pageblockCensus(pfn, zone: z), census.free > 0 {
            moveFreeBlocks(ofPageblock: pfn, zone: z, to: startType)
            if pageblockIsAlike(census, startType: startType, oldType: oldType) {
                pageblockType[pfn >> Page.pageblockOrder] = startType
                changed = true
            }
        } else {
            moveFreeBlock(pfn, order: blockOrder, zone: z, to: startType)
        }
        recordFallback(pfn: pfn, order: order, fallbackOrder: blockOrder, startType: startType,
                       fallbackType: fallbackType, changed: changed)
        return true
    }

    // MARK: 6.18

    /// 6.18 `__rmqueue_claim()`: from the largest order down, while claiming is allowed, try to take
    /// over a whole pageblock of a fallback type and allocate from it. Returns the frame or -1.
    mutating func rmqueueClaim(zone z: Int, order: Int, startType: MigrateType, noFragment: Bool) -> Int {
        let minOrder = noFragment && order < Page.pageblockOrder ? Page.pageblockOrder : order
        var current = Page.maxOrder
        while current >= minOrder {
            guard current >= Page.pageblockOrder || mayClaimBlock(order: current, startType: startType) else { break }
            if let fallbackType = suitableFallback(zone: z, order: current, startType: startType) {
                let list = FreeList.index(zone: z, order: current, type: fallbackType.rawValue)
                let pfn = Int(freeLists[list].head)
                if current >= Page.pageblockOrder {
                    setPageblockTypes(pfn, order: current, to: startType)
                    takeFreeBlock(pfn, order: current, list: list, zone: z)
                    expand(pfn, low: order, high: current, zone: z, type: startType)
                    recordFallback(pfn: pfn, order: order, fallbackOrder: current, startType: startType,
                                   fallbackType: fallbackType, changed: true)
                    return pfn
                }
                let oldType = pageblockType[pfn >> Page.pageblockOrder]
                if oldType != .highAtomic, let census = pageblockCensus(pfn, zone: z), census.free > 0,
                   pageblockIsAlike(census, startType: startType, oldType: oldType) {
                    moveFreeBlocks(ofPageblock: pfn, zone: z, to: startType)
                    pageblockType[pfn >> Page.pageblockOrder] = startType
                    recordFallback(pfn: pfn, order: order, fallbackOrder: current, startType: startType,
                                   fallbackType: fallbackType, changed: true)
                    return rmqueueSmallest(zone: z, order: order, type: startType)
                }
            }
            current -= 1
        }
        return -1
    }

    /// 6.18 `__rmqueue_steal()`: the smallest fallback block, split in place; the remainder stays
    /// on the fallback type's lists and no pageblock changes type. Returns the frame or -1.
    mutating func rmqueueSteal(zone z: Int, order: Int, startType: MigrateType) -> Int {
        for current in order...Page.maxOrder {
            guard let fallbackType = suitableFallback(zone: z, order: current, startType: startType) else { continue }
            let list = FreeList.index(zone: z, order: current, type: fallbackType.rawValue)
            let pfn = Int(freeLists[list].head)
            takeFreeBlock(pfn, order: current, list: list, zone: z)
            expand(pfn, low: order, high: current, zone: z, type: fallbackType)
            recordFallback(pfn: pfn, order: order, fallbackOrder: current, startType: startType,
                           fallbackType: fallbackType, changed: false)
            return pfn
        }
        return -1
    }

    /// Records `mm_page_alloc_extfrag`.
    mutating func recordFallback(pfn: Int, order: Int, fallbackOrder: Int, startType: MigrateType,
                                 fallbackType: MigrateType, changed: Bool) {
        guard events.isRecording else { return }
        record(.fallbackTaken(pfn: PageFrameNumber(pfn), allocOrder: Order(order), fallbackOrder: Order(fallbackOrder),
                              allocType: startType, fallbackType: fallbackType, changedOwnership: changed))
    }
}
