/// Moving what memtop decided out of the way of what a trace observed.
extension Machine {
    /// Moves the allocated block `head` of `order` to frames memtop's allocator picks (outside
    /// `avoiding`), keeping its owner: plain pages, outside pages, a slab (its objects move with it)
    /// or a vmalloc page (the area's page table is updated).
    /// - Returns: false when no block could be had, or the owner cannot move (a large kmalloc).
    mutating func relocate(_ head: Int, order: Int, avoiding: Range<Int>) -> Bool {
        let owner = frames[head].owner, type = frames[head].type, placement = frames[head].placement
        if case .largeKmalloc = owner { return false }
        guard let target = takeAnyBlock(order: order, type: type, avoiding: avoiding) else { return false }
        let count = 1 << order
        frames[target].order = Int8(order)
        for k in 0..<count {
            frames[target + k].owner = owner
            frames[target + k].type = type
            frames[target + k].placement = placement
        }
        switch owner {
        case .slab:
            let s = slabOfFrame[head]
            for k in 0..<count {
                slabOfFrame[target + k] = s
                slabOfFrame[head + k] = -1
            }
            if s >= 0 { slabs[Int(s)].pfn = Int32(target) }
        case .vmalloc:
            movePageOfVmapArea(from: head, to: target)
        default:
            break
        }
        if !pageContents.isEmpty, let bytes = pageContents.removeValue(forKey: Int32(head)) { pageContents[Int32(target)] = bytes }
        freeBlock(head, order: order, zone: zoneIndex(of: head), toTail: false, recordEvents: false)
        return true
    }

    /// A free block of `order` from the buddy lists (of `zone` when given), none of whose frames is
    /// in `avoiding`, split from the smallest block that has one; no watermark check: moving memory
    /// does not change how much is used.
    mutating func takeAnyBlock(order: Int, type: MigrateType, avoiding: Range<Int>, zone only: Int? = nil) -> Int? {
        // The wanted type first, then the other two per-CPU types in order (no array per call).
        let wanted = type.rawValue
        for z in stride(from: zones.count - 1, through: 0, by: -1) where zones[z].isPopulated && (only == nil || only == z) {
            for o in order...Page.maxOrder {
                for k in 0..<(wanted < 3 ? 3 : 4) {
                    let t = k == 0 ? wanted : (wanted < 3 ? (k <= wanted ? k - 1 : k) : k - 1)
                    let list = FreeList.index(zone: z, order: o, type: t)
                    var p = Int(freeLists[list].head), steps = 0
                    while p >= 0 && steps < 4096 {
                        if p + (1 << o) <= avoiding.lowerBound || p >= avoiding.upperBound {
                            takeFreeBlock(p, order: o, list: list, zone: z)
                            expand(p, low: order, high: o, zone: z, type: MigrateType(rawValue: t) ?? .unmovable)
                            return p
                        }
                        p = Int(frames[p].next)
                        steps += 1
                    }
                }
            }
        }
        return nil
    }

    /// Replaces frame `old` by `new` in the vmalloc area that maps it.
    mutating func movePageOfVmapArea(from old: Int, to new: Int) {
        guard let (a, k) = vmapSpace.pageSlot(of: Int32(old)) else { return }
        vmapSpace.areas[a].pages[k] = Int32(new)
    }

    /// Gives block `head` of `order` back to the buddy lists whatever holds it, dropping what it
    /// held: a slab's objects, a large kmalloc's record, a vmalloc area's page (the area keeps the
    /// rest).
    mutating func releaseOwnedBlock(_ head: Int, order: Int, zone z: Int) {
        switch frames[head].owner {
        case .slab: dropSlab(at: head)
        case .largeKmalloc:
            let address = VirtualAddress.directMap(PageFrameNumber(head)).rawValue
            largeAllocations[address] = nil
        case .vmalloc: removePageOfVmapArea(head)
        default: break
        }
        freeBlock(head, order: order, zone: z, toTail: false, recordEvents: false)
    }

    /// Forgets vmalloc page `pfn` in the area that maps it.
    mutating func removePageOfVmapArea(_ pfn: Int) {
        guard let (a, k) = vmapSpace.pageSlot(of: Int32(pfn)) else { return }
        vmapSpace.areas[a].pages.remove(at: k)
    }

    /// Takes the slab whose pages start at `head` out of its cache, objects and all; its frames are
    /// left to the caller.
    mutating func dropSlab(at head: Int) {
        let s = slabOfFrame[head]
        guard s >= 0 else { return }
        let i = Int(s), c = Int(slabs[i].cache.rawValue)
        if slabs[i].onPartial { removeFromPartial(i, cache: c) }
        if slabs[i].onCPUPartial { removeFromCPUPartial(i) }
        if slabs[i].cpu >= 0 {
            cpuSlabs[c * configuration.cpus + Int(slabs[i].cpu)] = -1
            slabs[i].cpu = -1
        }
        let inUse = Int(slabs[i].inUse)
        caches[c].counters.objectsInUse -= inUse
        caches[c].counters.removeSlab(objects: Int(slabs[i].objects), order: Int(slabs[i].order))
        if inUse == 0 { caches[c].counters.emptySlabs -= 1 }
        if slabs[i].inUse == slabs[i].objects { caches[c].counters.fullSlabs -= 1 }
        let (id, pfn, order) = (caches[c].id, PageFrameNumber(Int(slabs[i].pfn)), Order(Int(slabs[i].order)))
        recordUntallied(.slabDestroyed(cache: id, pfn: pfn, order: order))
        for f in Int(slabs[i].pfn)..<(Int(slabs[i].pfn) + (1 << Int(slabs[i].order))) { slabOfFrame[f] = -1 }
        keepSlotRange(slabs[i].slotBase, length: Int(slabs[i].objects))
        slabs[i].objects = 0
        slabs[i].inUse = 0
        slabs[i].freeHead = -1
        freeSlabIndices.append(s)
    }
}
