/// Rebuilding a real machine's allocator state from its /proc counts.
///
/// /proc says how much of everything there is (free blocks per zone, order and migratetype, slabs
/// per cache, vmalloc areas, per-CPU list pages) but not where. These functions build a state with
/// exactly those counts: everything is first taken as used memory of unknown owner, then free
/// blocks, slabs and areas are carved out of it at places memtop picks. Every frame so placed is
/// marked `.reconstructed`, so that a replay moves it when the trace shows where the real thing was.
extension Machine {
    /// Takes every free frame as used memory of unknown owner (order-0 blocks, reconstructed).
    /// - Complexity: O(frames).
    public mutating func takeAllFreeMemoryAsUnknown() {
        for z in zones.indices where zones[z].isPopulated {
            for order in 0...Page.maxOrder {
                for type in MigrateType.allCases {
                    let list = FreeList.index(zone: z, order: order, type: type.rawValue)
                    while freeLists[list].head >= 0 {
                        let head = Int(freeLists[list].head)
                        takeFreeBlock(head, order: order, list: list, zone: z)
                        frames.updateEach(in: head..<(head + (1 << order))) {
                            $0.owner = .pages
                            $0.order = 0
                            $0.placement = .reconstructed
                        }
                    }
                }
            }
            zones[z].level = zones[z].level(forFreePages: zones[z].freePages)
        }
    }

    /// Replaces a zone's managed page count and watermarks with a real machine's: boot
    /// reservations (memtop's reckoning) grow or shrink until `managed` frames are managed.
    /// - Precondition: called right after boot or ``takeAllFreeMemoryAsUnknown()``; frames given to
    ///   or taken from the reservations are used memory of unknown owner.
    public mutating func adoptZone(_ kind: ZoneKind, managed: Int, watermarks: Watermarks, lowmemReserve: [Int]) {
        let z = kind.rawValue
        var zone = zones[z]
        guard zone.isPopulated else { return }
        var difference = managed - zone.managedPages
        // Give reserved frames (above the low megabyte) to the buddy allocator, or take unknown ones back.
        var pfn = zone.endPFN.rawValue - 1
        while difference != 0 && pfn >= max(zone.startPFN.rawValue, 0x100) {
            if difference > 0 && frames[pfn].owner == .reserved {
                frames[pfn].owner = .pages
                frames[pfn].order = 0
                frames[pfn].placement = .reconstructed
                difference -= 1
            } else if difference < 0 && frames[pfn].owner == .pages && frames[pfn].placement == .reconstructed {
                frames[pfn].owner = .reserved
                frames[pfn].order = -1
                difference += 1
            }
            pfn -= 1
        }
        zone = Zone(kind: kind, startPFN: zone.startPFN, spannedPages: zone.spannedPages, presentPages: zone.presentPages,
                    managedPages: managed - difference, watermarks: watermarks, lowmemReserve: lowmemReserve)
        zone.freePages = zones[z].freePages
        zone.freeBlocks = zones[z].freeBlocks
        zones[z] = zone
        zones[z].level = zones[z].level(forFreePages: zones[z].freePages)
    }

    /// Sets the migratetype of a zone's pageblocks to match `counts` (pagetypeinfo's "Number of
    /// blocks type"), in pfn order: Unmovable first, then Reclaimable, HighAtomic, Isolate, and
    /// Movable for the rest, as early boot allocations leave the low blocks unmovable.
    public mutating func setPageblockTypes(zone kind: ZoneKind, counts: [MigrateType: Int]) {
        let zone = zones[kind.rawValue]
        guard zone.isPopulated else { return }
        var first = zone.startPFN.rawValue >> Page.pageblockOrder
        let last = (zone.endPFN.rawValue - 1) >> Page.pageblockOrder
        for type in [MigrateType.unmovable, .reclaimable, .highAtomic, .isolate] {
            for _ in 0..<(counts[type] ?? 0) where first <= last {
                pageblockType[first] = type
                first += 1
            }
        }
        while first <= last {
            pageblockType[first] = .movable
            first += 1
        }
    }

    /// Makes `count` free blocks of `order` on the `type` lists of a zone, each carved from unknown
    /// used memory in pageblocks of that type where possible, never next to a free buddy of the
    /// same order (which would have merged).
    /// - Returns: how many it placed.
    /// - Complexity: O(zone frames).
    @discardableResult
    public mutating func reconstructFreeBlocks(zone kind: ZoneKind, order blockOrder: Order, type: MigrateType, count: Int) -> Int {
        let order = blockOrder.rawValue
        var placed = 0
        for strictType in [true, false] where placed < count {
            placed += carveFreeBlocks(zone: kind.rawValue, order: order, type: type, count: count - placed, strictType: strictType)
        }
        return placed
    }

    mutating func carveFreeBlocks(zone z: Int, order: Int, type: MigrateType, count: Int, strictType: Bool) -> Int {
        let size = 1 << order
        var placed = 0
        var pfn = (zones[z].startPFN.rawValue + size - 1) & ~(size - 1)
        while placed < count && pfn + size <= zones[z].endPFN.rawValue {
            defer { pfn += size }
            if strictType && pageblockType[pfn >> Page.pageblockOrder] != type { continue }
            guard isUnknownRun(pfn, size) else { continue }
            let buddy = pfn ^ size
            if order < Page.maxOrder && buddy >= zones[z].startPFN.rawValue && buddy < zones[z].endPFN.rawValue
                && frames[buddy].owner == .free && Int(frames[buddy].order) == order { continue }
            frames.updateEach(in: pfn..<(pfn + size)) {
                $0.owner = .free
                $0.order = -1
                $0.placement = .simulated
            }
            addFreeBlock(pfn, order: order, zone: z, type: type, atTail: true)
            placed += 1
        }
        zones[z].level = zones[z].level(forFreePages: zones[z].freePages)
        return placed
    }

    /// Whether frames `pfn..<pfn+count` are all reconstructed used memory of unknown owner.
    @inline(__always) func isUnknownRun(_ pfn: Int, _ count: Int) -> Bool {
        for i in pfn..<(pfn + count) where !(frames[i].owner == .pages && frames[i].placement == .reconstructed && frames[i].order == 0) {
            return false
        }
        return true
    }

    /// Puts `pages` order-0 frames of unknown used memory on `cpu`'s per-CPU lists of a zone
    /// (zoneinfo's pageset `count:`), taken from the zone's top.
    /// - Precondition: per-CPU lists are enabled.
    public mutating func reconstructPerCPUPages(zone kind: ZoneKind, cpu: Int, pages: Int) {
        let z = kind.rawValue
        guard perCPU.isEnabled, cpu >= 0, cpu < perCPU.cpus, zones[z].isPopulated else { return }
        var left = pages, pfn = zones[z].endPFN.rawValue - 1
        while left > 0 && pfn >= zones[z].startPFN.rawValue {
            if frames[pfn].owner == .pages && frames[pfn].placement == .reconstructed && frames[pfn].order == 0
                && pageblockType[pfn >> Page.pageblockOrder].rawValue < 3 {
                freeToPerCPU(pfn, order: 0, zone: z, cpu: cpu, drains: false)
                left -= 1
            }
            pfn -= 1
        }
    }

    /// Makes `count` slabs of `cache` at its order out of unknown used memory (in Reclaimable
    /// pageblocks for a reclaimable cache, Unmovable ones otherwise, any when those run out), each
    /// with `objectsInUse(i)` objects in use, reconstructed.
    /// - Returns: the slabs made.
    @discardableResult
    public mutating func reconstructSlabs(of id: CacheID, order slabOrder: Order, count: Int, objectsInUse: (Int) -> Int) -> Int {
        var cursor = SlabSearchCursor()
        return reconstructSlabs(of: id, order: slabOrder, count: count, resumingAt: &cursor, objectsInUse: objectsInUse)
    }

    /// ``reconstructSlabs(of:order:count:objectsInUse:)`` for one of many caches rebuilt in a row:
    /// each search starts where the last one of the same zone, order and pageblock type stopped,
    /// so rebuilding every cache of a capture walks the frames about once per order instead of once
    /// per cache. The slabs made are the same as with a fresh cursor.
    /// - Precondition: between the calls `cursor` serves, no frame becomes unknown used memory again
    ///   and no pageblock changes type (slabs are only carved out of unknown memory).
    @discardableResult
    public mutating func reconstructSlabs(of id: CacheID, order slabOrder: Order, count: Int, resumingAt cursor: inout SlabSearchCursor,
                                          objectsInUse: (Int) -> Int) -> Int {
        let order = slabOrder.rawValue
        let c = Int(id.rawValue)
        let type: MigrateType = caches[c].flags.contains(.reclaimAccount) ? .reclaimable : .unmovable
        let size = 1 << order
        var made = 0
        for strictType in [true, false] where made < count {
            var z = 0
            while z < zones.count && made < count {
                defer { z += 1 }
                guard zones[z].isPopulated else { continue }
                // Frames before the cursor were unknown runs no longer, or of another pageblock type.
                let key = ((strictType ? Int(type.rawValue) + 1 : 0) * 8 + z) * 16 + order
                var pfn = max((max(zones[z].startPFN.rawValue, 0x100) + size - 1) & ~(size - 1), cursor.next[key] ?? 0)
                defer { cursor.next[key] = pfn }
                while made < count && pfn + size <= zones[z].endPFN.rawValue {
                    defer { pfn += size }
                    if strictType && pageblockType[pfn >> Page.pageblockOrder] != type { continue }
                    guard isUnknownRun(pfn, size) else { continue }
                    frames[pfn].order = Int8(order)
                    for i in (pfn + 1)..<(pfn + size) where size > 1 { frames[i].order = -1 }
                    for i in pfn..<(pfn + size) { frames[i].type = type }
                    makeSlab(at: pfn, order: order, cache: id)
                    fillSlab(at: pfn, objects: objectsInUse(made))
                    reconstructedSlabs[id.rawValue, default: []].append(slabOfFrame[pfn])
                    made += 1
                }
            }
        }
        return made
    }

    /// Marks the first `objects` slots of the slab at `pfn` in use (reconstructed objects); a slab
    /// left with free slots goes on the node partial list.
    mutating func fillSlab(at pfn: Int, objects: Int) {
        let s = Int(slabOfFrame[pfn]), c = Int(slabs[s].cache.rawValue)
        let n = min(max(objects, 0), Int(slabs[s].objects))
        let base = Int(slabs[s].slotBase)
        for k in 0..<n { _ = Machine.markAllocated(&slots[base + k], requested: caches[c].objectSize, site: .unknown) }
        slabs[s].freeHead = n < Int(slabs[s].objects) ? Int32(n) : -1
        if n < Int(slabs[s].objects) { slots[base + n].prevFree = -1 }
        slabs[s].inUse = Int32(n)
        caches[c].counters.objectsInUse += n
        if n > 0 { caches[c].counters.emptySlabs -= 1 }
        if n == Int(slabs[s].objects) { caches[c].counters.fullSlabs += 1 } else { addToPartial(s, cache: c) }
        for f in pfn..<(pfn + (1 << Int(slabs[s].order))) { frames[f].placement = .reconstructed }
    }
}

extension Machine {
    /// A busy vmalloc area of `size` bytes (guard page included) backed by `pages` frames of unknown
    /// used memory, for an area a capture's vmallocinfo lists, one of many rebuilt in a row: the
    /// frames are taken from `below` down (`endPFN` for the first area), and `below` is left at the
    /// lowest frame looked at, where the next area's search goes on (the frames above it are all
    /// taken or not unknown memory).
    /// - Returns: the area's start in memtop's vmalloc range, or nil when the range or the memory ran out.
    /// - Precondition: between the calls `below` serves, no frame becomes unknown used memory again.
    public mutating func reconstructVmallocArea(size: Int, pages: Int, caller: CallSite, below: inout Int) -> VirtualAddress? {
        guard let start = reserveVmapArea(size: size, align: Page.size, requested: max(0, size - Page.size), caller: caller) else {
            return nil
        }
        var frames: [Int32] = []
        frames.reserveCapacity(pages)
        var pfn = min(below, endPFN) - 1
        defer { below = pfn + 1 }
        while frames.count < pages && pfn >= 0x100 {
            if self.frames[pfn].owner == .pages && self.frames[pfn].placement == .reconstructed && self.frames[pfn].order == 0 {
                self.frames[pfn].owner = .vmalloc
                frames.append(Int32(pfn))
            }
            pfn -= 1
        }
        updateVmapArea(startingAt: start) { $0.pages = frames.reversed() }
        return start
    }
}

/// Where slab reconstruction left off in each zone, by slab order and pageblock type: see
/// ``Machine/reconstructSlabs(of:order:count:resumingAt:objectsInUse:)``.
public struct SlabSearchCursor: Sendable {
    /// The next frame to try, by search key.
    var next: [Int: Int] = [:]
    /// A cursor at the start of every zone.
    public init() {}
}
