/// Correcting a reconstructed slab's place when a trace shows where the real one is.
extension Machine {
    /// Moves a reconstructed slab of `cache` to the block of its order that holds `address` (the
    /// trace touched an object there that memtop does not know: the real slab is there), and
    /// returns the object's slot state there. The block is cleared as for a traced allocation, and
    /// the slab's old frames are freed, so free memory stays what it was.
    /// - Returns: false when the cache has no reconstructed slab left or the frames cannot be used.
    public mutating func moveReconstructedSlab(of id: CacheID, toCover address: VirtualAddress) -> Bool {
        guard let pfn = address.directMapFrame, pfn.rawValue < endPFN else { return false }
        while var list = reconstructedSlabs[id.rawValue], let s = list.popLast() {
            reconstructedSlabs[id.rawValue] = list
            let i = Int(s)
            guard i < slabs.count, slabs[i].cache == id, slabs[i].objects > 0,
                  frames[Int(slabs[i].pfn)].placement == .reconstructed else { continue }
            let order = Int(slabs[i].order), old = Int(slabs[i].pfn)
            let head = pfn.rawValue & ~((1 << order) - 1)
            guard !(head..<(head + (1 << order))).contains(old) else { return true }
            let type = frames[old].type
            guard (try? placeBlock(at: PageFrameNumber(head), order: Order(order), migrateType: type, owner: .pages)) != nil else {
                reconstructedSlabs[id.rawValue, default: []].append(s)
                return false
            }
            for k in 0..<(1 << order) {
                slabOfFrame[head + k] = s
                slabOfFrame[old + k] = -1
                frames[head + k].owner = .slab(id)
                frames[old + k].owner = .pages
            }
            slabs[i].pfn = Int32(head)
            freeBlock(old, order: order, zone: zoneIndex(of: old), toTail: false, recordEvents: false)
            return true
        }
        return false
    }

    /// Makes the slot at `address` of a slab hold an object (it was allocated before tracing, and
    /// the slab was rebuilt with its objects in other slots): one in-use slot of the slab moves there.
    /// - Returns: false when no slot of the slab is in use to move.
    public mutating func markObjectLive(at address: VirtualAddress) -> Bool {
        guard let loc = locateObject(address), !loc.inUse, loc.start == address else { return loc(of: address)?.inUse ?? false }
        let s = Int(loc.slab), base = Int(slabs[s].slotBase)
        guard let donor = (0..<Int(slabs[s].objects)).last(where: { !slots[base + $0].isFree }) else { return false }
        let record = slots[base + donor]
        _ = try? slabFree(objectAddress(slab: s, slot: donor, size: caches[Int(slabs[s].cache.rawValue)].geometry.size))
        allocateSlot(loc.slot, slab: s, requested: Int(record.requested), site: CallSite(rawValue: record.allocSite),
                     cpu: max(0, Int(slabs[s].cpu)))
        return true
    }

    func loc(of address: VirtualAddress) -> ObjectLocation? { locateObject(address) }

    /// The slab holding `address` was made where the trace showed an object before memtop knew its
    /// cache (no page allocation came first, so the slab existed before tracing); the cache now
    /// known, `id`, still has slabs rebuilt elsewhere, so it is one of those: a rebuilt slab of the
    /// same shape gives its objects (allocated before tracing, slots unknown) to this slab's free
    /// slots, and its pages go back to the buddy allocator.
    /// - Returns: whether a rebuilt slab was merged into this one.
    @discardableResult
    public mutating func mergeReconstructedSlab(of id: CacheID, into address: VirtualAddress) -> Bool {
        guard let pfn = address.directMapFrame, pfn.rawValue < endPFN else { return false }
        let s = Int(slabOfFrame[pfn.rawValue])
        guard s >= 0, slabs[s].cache == id, frames[Int(slabs[s].pfn)].placement != .reconstructed else { return false }
        while var list = reconstructedSlabs[id.rawValue], let r = list.popLast() {
            reconstructedSlabs[id.rawValue] = list
            let i = Int(r)
            guard i != s, i < slabs.count, slabs[i].cache == id, slabs[i].objects == slabs[s].objects,
                  slabs[i].order == slabs[s].order, frames[Int(slabs[i].pfn)].placement == .reconstructed else { continue }
            let moving = Int(slabs[i].inUse), head = Int(slabs[i].pfn), order = Int(slabs[i].order)
            dropSlab(at: head)
            for f in head..<(head + (1 << order)) { frames[f].owner = .pages }
            freeBlock(head, order: order, zone: zoneIndex(of: head), toTail: false, recordEvents: false)
            fillFreeSlots(of: s, count: moving)
            return true
        }
        return false
    }

    /// Marks up to `count` free slots of slab `s` in use by objects of unknown owner (allocated
    /// before tracing), in freelist order; a slab on a partial list stays on the node's unless it
    /// fills up.
    mutating func fillFreeSlots(of s: Int, count: Int) {
        let c = Int(slabs[s].cache.rawValue)
        let wasPartial = slabs[s].onPartial || slabs[s].onCPUPartial
        if slabs[s].onPartial { removeFromPartial(s, cache: c) }
        if slabs[s].onCPUPartial { removeFromCPUPartial(s) }
        var moved = 0
        while moved < count, slabs[s].freeHead >= 0 {
            let (_, wasEmpty, nowFull) = Machine.popFree(&slabs[s], slots: &slots, requested: caches[c].objectSize, site: .unknown)
            Machine.countAlloc(&caches[c].counters, wasEmpty: wasEmpty, nowFull: nowFull)
            moved += 1
        }
        // INVARIANT: a full slab is on no partial list.
        if wasPartial && slabs[s].inUse < slabs[s].objects { addToPartial(s, cache: c) }
    }
}
