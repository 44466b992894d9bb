/// Consistency checks of the slab and vmalloc state against the frames.
extension Machine {
    /// Checks every cache, slab and vmalloc area: slab frames belong to their cache and point back at
    /// the slab; in-use counts, free lists and bitmaps agree; the partial list holds exactly the
    /// slabs marked on it; busy vmalloc areas own their pages; no two areas overlap.
    /// - Throws: ``InvariantViolation`` naming the first problem.
    public func validateSlabInvariants() throws(InvariantViolation) {
        func fail(_ s: String) -> InvariantViolation { InvariantViolation(description: s) }
        var perCache = [(slabs: Int, inUse: Int, partial: Int, partialFree: Int, empty: Int, full: Int)](
            repeating: (0, 0, 0, 0, 0, 0), count: caches.count)
        let discarded = Set(freeSlabIndices)
        for (i, slab) in slabs.enumerated() where !discarded.contains(Int32(i)) {
            let c = Int(slab.cache.rawValue)
            var free = 0, p = slab.freeHead
            while p >= 0 {
                free += 1
                guard free <= Int(slab.objects), slots[Int(slab.slotBase) + Int(p)].isFree else {
                    throw fail("slab \(i): freelist runs through slot \(p), which is in use or loops")
                }
                p = Int32(slots[Int(slab.slotBase) + Int(p)].nextFree)
            }
            guard free == Int(slab.objects - slab.inUse) else { throw fail("slab \(i): free list \(free) != objects - inUse") }
            let flagged = (0..<Int(slab.objects)).filter { slots[Int(slab.slotBase) + $0].isFree }.count
            guard flagged == free else { throw fail("slab \(i): \(flagged) slots flagged free, free list holds \(free)") }
            for f in Int(slab.pfn)..<(Int(slab.pfn) + (1 << Int(slab.order))) {
                guard frames[f].owner == .slab(slab.cache), slabOfFrame[f] == Int32(i) else {
                    throw fail("slab \(i) frame \(f) owned by \(frames[f].owner), slab link \(slabOfFrame[f])")
                }
            }
            guard Int(frames[Int(slab.pfn)].order) == Int(slab.order) else { throw fail("slab \(i): head order mismatch") }
            perCache[c].slabs += 1
            perCache[c].inUse += Int(slab.inUse)
            if slab.inUse == 0 { perCache[c].empty += 1 }
            if slab.inUse == slab.objects { perCache[c].full += 1 }
            if slab.onPartial {
                perCache[c].partial += 1
                perCache[c].partialFree += free
                guard slab.cpu < 0 else { throw fail("slab \(i) is both a CPU slab and on the partial list") }
            }
            if slab.cpu >= 0, cpuSlabs[c * configuration.cpus + Int(slab.cpu)] != Int32(i) { throw fail("slab \(i) claims CPU \(slab.cpu)") }
        }
        for (c, cache) in caches.enumerated() {
            let n = perCache[c]
            guard n.slabs == cache.slabCount, n.inUse == cache.objectsInUse, n.partial == cache.partialCount,
                  n.partialFree == cache.partialFreeObjects, n.empty == cache.emptySlabs, n.full == cache.fullSlabs else {
                throw fail("cache \(cache.name): counters \(n) disagree with slabs/inUse/partial \(cache.slabCount)/\(cache.objectsInUse)/\(cache.partialCount)")
            }
            var walked = 0, p = cache.partialHead
            while p >= 0 {
                walked += 1
                guard walked <= cache.partialCount, slabs[Int(p)].onPartial, slabs[Int(p)].cache == cache.id else {
                    throw fail("cache \(cache.name): broken partial list")
                }
                p = slabs[Int(p)].next
            }
            guard walked == cache.partialCount else { throw fail("cache \(cache.name): partial list length \(walked)") }
        }
        var lastEnd: UInt64 = 0
        var lazy = 0
        for area in vmapSpace.areas {
            guard area.start >= lastEnd else { throw fail("vmap areas overlap at \(VirtualAddress(area.start))") }
            lastEnd = area.end
            if area.isLazilyFreed { lazy += area.size / Page.size; continue }
            for p in area.pages where frames[Int(p)].owner != .vmalloc {
                throw fail("vmalloc area \(VirtualAddress(area.start)) page \(p) owned by \(frames[Int(p)].owner)")
            }
        }
        guard lazy == vmapSpace.lazyPages else { throw fail("lazy pages \(vmapSpace.lazyPages) but areas hold \(lazy)") }
    }
}
