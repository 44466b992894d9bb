/// Consistency checks of the slab state against the frames.
extension Machine {
    /// What the slabs of one cache add up to, to compare with the cache's counters.
    struct SlabTally: CustomStringConvertible {
        var slabs = 0, objects = 0, pages = 0, inUse = 0, partial = 0, partialFree = 0, empty = 0, full = 0
        var description: String {
            "slabs \(slabs) objects \(objects) pages \(pages) inUse \(inUse) partial \(partial)/\(partialFree) empty \(empty) full \(full)"
        }
    }

    /// Checks every cache, slab and vmalloc area: slab frames belong to their cache and point back at
    /// the slab; in-use counts, free lists and bitmaps agree; the partial list holds exactly the
    /// slabs marked on it; busy vmalloc areas own their pages; no two areas overlap.
    /// - Throws: ``InvariantViolation`` naming the first problem.
    /// - Complexity: O(slots + frames in slabs + vmalloc pages).
    public func validateSlabInvariants() throws(InvariantViolation) {
        var perCache = [SlabTally](repeating: SlabTally(), count: caches.count)
        let discarded = Set(freeSlabIndices)
        for (i, slab) in slabs.enumerated() where !discarded.contains(Int32(i)) {
            let free = try validateSlab(i)
            let c = Int(slab.cache.rawValue)
            perCache[c].slabs += 1
            perCache[c].objects += Int(slab.objects)
            perCache[c].pages += 1 << Int(slab.order)
            perCache[c].inUse += Int(slab.inUse)
            if slab.inUse == 0 { perCache[c].empty += 1 }
            if slab.inUse == slab.objects { perCache[c].full += 1 }
            if slab.onPartial {
                perCache[c].partial += 1
                perCache[c].partialFree += free
            }
        }
        for (c, cache) in caches.enumerated() { try validateCache(cache, against: perCache[c]) }
        try validateVmapInvariants()
    }

    /// One slab: its free list, the slots flagged free, its frames and CPU claim; returns its free objects.
    func validateSlab(_ i: Int) throws(InvariantViolation) -> Int {
        let slab = slabs[i]
        var free = 0, p = slab.freeHead, before: Int32 = -1
        while p >= 0 {
            free += 1
            guard free <= Int(slab.objects), slots[Int(slab.slotBase) + Int(p)].isFree else {
                throw Self.fail("slab \(i): freelist runs through slot \(p), which is in use or loops")
            }
            guard Int32(slots[Int(slab.slotBase) + Int(p)].prevFree) == before else {
                throw Self.fail("slab \(i): free slot \(p) links back to \(slots[Int(slab.slotBase) + Int(p)].prevFree), not \(before)")
            }
            before = p
            p = Int32(slots[Int(slab.slotBase) + Int(p)].nextFree)
        }
        guard free == Int(slab.objects - slab.inUse) else { throw Self.fail("slab \(i): free list \(free) != objects - inUse") }
        let flagged = (0..<Int(slab.objects)).filter { slots[Int(slab.slotBase) + $0].isFree }.count
        guard flagged == free else { throw Self.fail("slab \(i): \(flagged) slots flagged free, free list holds \(free)") }
        for f in Int(slab.pfn)..<(Int(slab.pfn) + (1 << Int(slab.order))) {
            guard frames[f].owner == .slab(slab.cache), slabOfFrame[f] == Int32(i) else {
                throw Self.fail("slab \(i) frame \(f) owned by \(frames[f].owner), slab link \(slabOfFrame[f])")
            }
        }
        guard Int(frames[Int(slab.pfn)].order) == Int(slab.order) else { throw Self.fail("slab \(i): head order mismatch") }
        if slab.onPartial && slab.cpu >= 0 { throw Self.fail("slab \(i) is both a CPU slab and on the partial list") }
        if slab.cpu >= 0, cpuSlabs[Int(slab.cache.rawValue) * configuration.cpus + Int(slab.cpu)] != Int32(i) {
            throw Self.fail("slab \(i) claims CPU \(slab.cpu)")
        }
        return free
    }

    /// A cache's counters against its slabs' tally, and its partial list.
    func validateCache(_ cache: SlabCache, against n: SlabTally) throws(InvariantViolation) {
        guard n.slabs == cache.slabCount, n.objects == cache.totalObjects, n.pages == cache.slabPages, n.inUse == cache.objectsInUse, n.partial == cache.partialCount,
              n.partialFree == cache.partialFreeObjects, n.empty == cache.emptySlabs, n.full == cache.fullSlabs else {
            throw Self.fail("cache \(cache.name): counters \(n) disagree with slabs/inUse/partial \(cache.slabCount)/\(cache.objectsInUse)/\(cache.partialCount)")
        }
        var walked = 0, p = cache.partialHead
        while p >= 0 {
            walked += 1
            guard walked <= cache.partialCount, slabs[Int(p)].onPartial, slabs[Int(p)].cache == cache.id else {
                throw Self.fail("cache \(cache.name): broken partial list")
            }
            p = slabs[Int(p)].next
        }
        guard walked == cache.partialCount else { throw Self.fail("cache \(cache.name): partial list length \(walked)") }
    }
}
