/// `__free_one_page()`: returning a block and merging it with its buddies.
extension Machine {
    /// Frees block `pfn` of `order` in zone `z`: while the buddy (`pfn ^ (1 << order)`) is a free
    /// block of the same order in the same zone, take it off its list and double. The result goes on
    /// the list of its pageblock's migratetype: at the tail when `toTail` (boot) or when a merge one
    /// order up looks likely (`buddy_merge_likely()`, orders below 9), else at the head.
    mutating func freeBlock(_ start: Int, order startOrder: Int, zone z: Int, toTail: Bool, recordEvents: Bool) {
        var pfn = start
        var order = startOrder
        let zoneStart = zones[z].startPFN.rawValue, zoneEnd = zones[z].endPFN.rawValue
        // INVARIANT: pageMigrateType means something only at free heads and allocated pages.
        let head = pfn
        if startOrder == 0 {
            // One frame (most frees): one access, without updateEach's loop.
            frames.update(pfn) {
                $0.owner = .free
                $0.type = .unmovable
                $0.placement = .simulated
                $0.next = -1
                $0.prev = -1
                $0.order = -1
            }
        } else {
            frames.updateEach(in: pfn..<(pfn + (1 << order))) {
                $0.owner = .free
                $0.type = .unmovable
                $0.placement = .simulated
                $0.next = -1
                $0.prev = -1
            }
            frames[head].order = -1
        }
        while order < Page.maxOrder {
            let buddy = pfn ^ (1 << order)
            guard buddy >= zoneStart && buddy < zoneEnd else { break }
            let b = frames[buddy]   // read once: owner, order and type
            guard b.owner == .free, Int(b.order) == order else { break }
            let list = FreeList.index(zone: z, order: order, type: b.type.rawValue)
            // takeFreeBlock, with the buddy's type cleared in the same access.
            unlinkFreeBlock(buddy, list: list) { $0.order = -1; $0.type = .unmovable }
            zones[z].addFreeBlocks(-1, order: order)
            pfn &= buddy
            order += 1
            if recordEvents {
                recordUntallied(.buddiesMerged(pfn: PageFrameNumber(pfn), order: Order(order), zone: ZoneKind(rawValue: z) ?? .normal))
            }
        }
        let type = pageblockType[pfn >> Page.pageblockOrder]
        var tail = toTail
        if !tail && order < Page.maxOrder - 1 {
            // buddy_merge_likely(): is the buddy of the block one order up free at that order?
            let higher = pfn & ~(1 << order)
            let higherBuddy = higher ^ (1 << (order + 1))
            if higherBuddy >= zoneStart && higherBuddy < zoneEnd {
                let h = frames[higherBuddy]
                tail = h.owner == .free && Int(h.order) == order + 1
            }
        }
        addFreeBlock(pfn, order: order, zone: z, type: type, atTail: tail)
    }
}
