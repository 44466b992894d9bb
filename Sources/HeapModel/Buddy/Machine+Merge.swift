/// `__free_one_page()`: returning a block and merging it with its buddies.
extension Machine {
    /// Frees block `pfn` of `order` in zone `z`: while the buddy (`pfn ^ (1 << order)`) is a free
    /// block of the same order in the same zone, take it off its list and double. The result goes on
    /// the list of its pageblock's migratetype: at the tail when `toTail` (boot) or when a merge one
    /// order up looks likely (`buddy_merge_likely()`, orders below 9), else at the head.
    ///
    /// The frames are written through one writer (``ChunkedArray/withWriter(_:)``), which checks
    /// the frame table's uniqueness once for the whole free instead of at each of its writes.
    mutating func freeBlock(_ start: Int, order startOrder: Int, zone z: Int, toTail: Bool, recordEvents: Bool) {
        let zoneStart = zones[z].startPFN.rawValue, zoneEnd = zones[z].endPFN.rawValue
        let pageblockOrder = Page.pageblockOrder
        // The list heads and zone counters too are written through buffers opened once per free
        // (each write through an array asks whether it is shared, twice per merge).
        let final = freeLists.withUnsafeMutableBufferPointer { lists in
          zones.withUnsafeMutableBufferPointer { zs in
            frames.withWriter { f -> Int in
            var pfn = start
            var order = startOrder
            Machine.markFree(start, order: startOrder, frames: f)
            while order < Page.maxOrder {
                let buddy = pfn ^ (1 << order)
                guard buddy >= zoneStart && buddy < zoneEnd else { break }
                let b = f[buddy]   // read once: owner, order and type
                guard b.owner == .free, Int(b.order) == order else { break }
                let list = FreeList.index(zone: z, order: order, type: b.type.rawValue)
                // takeFreeBlock, with the buddy's type cleared in the same access.
                Machine.unlink(buddy, from: &lists[list], frames: f) { $0.order = -1; $0.type = .unmovable }
                zs[z].addFreeBlocks(-1, order: order)
                pfn &= buddy
                order += 1
            }
            let type = pageblockType[pfn >> pageblockOrder]
            var tail = toTail
            if !tail && order < Page.maxOrder - 1 {
                // buddy_merge_likely(): is the buddy of the block one order up free at that order?
                let higher = pfn & ~(1 << order)
                let higherBuddy = higher ^ (1 << (order + 1))
                if higherBuddy >= zoneStart && higherBuddy < zoneEnd {
                    let h = f[higherBuddy]
                    tail = h.owner == .free && Int(h.order) == order + 1
                }
            }
            // addFreeBlock.
            let o = Int8(truncatingIfNeeded: order)
            Machine.link(pfn, into: &lists[FreeList.index(zone: z, order: order, type: type.rawValue)], atTail: tail, frames: f) {
                $0.order = o
                $0.type = type
            }
            zs[z].addFreeBlocks(1, order: order)
            return order
            }
          }
        }
        // The merges' events, in the order they happened: each doubled the block holding `start`.
        if recordEvents && events.keepsEvents {
            for order in startOrder..<final {
                record(.buddiesMerged(pfn: PageFrameNumber(start & ~((2 << order) - 1)), order: Order(order + 1),
                                      zone: ZoneKind(rawValue: z) ?? .normal))
            }
        }
    }

    /// Marks block `start` of `order` free, unlinked, of no type: its frames as `freeBlock` finds
    /// them before merging.
    @inline(__always)
    static func markFree(_ start: Int, order: Int, frames f: ChunkedArray<Frame>.Writer) {
        // INVARIANT: pageMigrateType means something only at free heads and allocated pages.
        let free = { (frame: inout Frame) in
            frame.owner = .free
            frame.type = .unmovable
            frame.placement = .simulated
            frame.next = -1
            frame.prev = -1
        }
        if order == 0 {
            // One frame (most frees): one access.
            f.update(start) { free(&$0); $0.order = -1 }
            return
        }
        // Tail frames keep their order field (-1 by the invariants); the head's is cleared.
        f.updateEach(in: start..<(start + (1 << order)), free)
        f[start].order = -1
    }
}
