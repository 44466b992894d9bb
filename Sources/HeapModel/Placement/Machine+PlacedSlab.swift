/// Slab objects where a trace says the kernel put them.
///
/// A traced object's real address names its slab page and its slot. The slab the kernel allocated
/// from is the CPU's active slab (SLUB allocates only from it), so the placed object's slab becomes
/// that CPU's active slab of the cache, as `___slab_alloc()` would have made it.
extension Machine {
    /// What placing an object found.
    public enum ObjectPlacement: Hashable, Sendable {
        /// In a slab of the cache memtop already had there.
        case inSlab
        /// The page was a block the trace allocated: it became a slab of the cache.
        case newSlab
        /// No block the trace allocated holds it (allocated before tracing, or its page event was
        /// lost): memtop claimed a slab of the cache's order there.
        case claimedSlab
        /// The slot held an object the trace never freed; it is taken as freed first.
        case reusedLiveSlot
        /// The page is a slab of another cache the trace placed: the object was not placed.
        case otherCache(CacheID)
        /// The address is not in memory memtop can place a slab on.
        case impossible
    }

    /// Allocates slot `address` of `cache` on `cpu`, making or claiming its slab as needed.
    /// - Complexity: O(objects per slab) for the freelist, plus a slab's creation.
    public mutating func placeObject(at address: VirtualAddress, cache id: CacheID, requested: Int, site: CallSite = .unknown,
                                     cpu: Int = 0) -> ObjectPlacement {
        guard let pfn = address.directMapFrame, pfn.rawValue < endPFN else { return .impossible }
        var outcome = ObjectPlacement.inSlab
        if case .slab(let other) = frames[pfn.rawValue].owner, other != id {
            guard frames[pfn.rawValue].placement != .observed else { return .otherCache(other) }
            // memtop's own (or reconstructed) slab of another cache: it gives way.
            guard let (head, order) = allocatedBlock(covering: pfn.rawValue) else { return .impossible }
            if !relocate(head, order: order, avoiding: head..<(head + (1 << order))) {
                releaseOwnedBlock(head, order: order, zone: zoneIndex(of: head))
            }
        }
        if case .slab = frames[pfn.rawValue].owner {
        } else if frames[pfn.rawValue].owner == .pages, frames[pfn.rawValue].placement == .observed,
                  let (head, order) = allocatedBlock(covering: pfn.rawValue) {
            makeSlab(at: head, order: order, cache: id)
            outcome = .newSlab
        } else if moveReconstructedSlab(of: id, toCover: address) {
            // The slab was rebuilt elsewhere; now the trace shows where it is.
            outcome = .claimedSlab
            vacateSlot(at: address)
        } else {
            let order = caches[Int(id.rawValue)].geometry.order
            let head = pfn.rawValue & ~((1 << order) - 1)
            let type = caches[Int(id.rawValue)].flags.contains(.reclaimAccount) ? MigrateType.reclaimable : .unmovable
            guard (try? placeBlock(at: PageFrameNumber(head), order: Order(order), migrateType: type, owner: .pages)) != nil else {
                return .impossible
            }
            makeSlab(at: head, order: order, cache: id)
            outcome = .claimedSlab
        }
        let s = Int(slabOfFrame[pfn.rawValue])
        let size = UInt64(caches[Int(id.rawValue)].geometry.size)
        let offset = address.rawValue - VirtualAddress.directMap(PageFrameNumber(Int(slabs[s].pfn))).rawValue
        let slot = Int(offset / size)
        guard slot < Int(slabs[s].objects) else { return .impossible }
        if !slots[Int(slabs[s].slotBase) + slot].isFree {
            _ = try? slabFree(objectAddress(slab: s, slot: slot, size: Int(size)), site: site)
            outcome = .reusedLiveSlot
        }
        allocateSlot(slot, slab: s, requested: requested, site: site, cpu: cpu)
        return outcome
    }

    /// Turns the allocated block `head` of `order` into an empty slab of `cache`, every slot free,
    /// the freelist in address order.
    mutating func makeSlab(at head: Int, order: Int, cache id: CacheID) {
        let c = Int(id.rawValue)
        let objects = (Page.size << order) / caches[c].geometry.size
        let base = takeSlotRange(objects)
        let slab = Slab(cache: id, pfn: Int32(head), order: Int8(order), cpu: -1, onPartial: false,
                        objects: Int32(objects), inUse: 0, freeHead: objects > 0 ? 0 : -1, slotBase: Int32(base), next: -1, prev: -1)
        let index: Int32
        if let reuse = freeSlabIndices.popLast() { index = reuse; slabs[Int(index)] = slab }
        else { index = Int32(slabs.count); slabs.append(slab) }
        for f in head..<(head + (1 << order)) {
            slabOfFrame[f] = index
            frames[f].owner = .slab(id)
        }
        caches[c].counters.addSlab(objects: objects, order: order)
        caches[c].counters.emptySlabs += 1
        recordUntallied(.slabCreated(cache: id, pfn: PageFrameNumber(head), order: Order(order), objects: objects))
    }

    /// Hands out slot `slot` of slab `s`, which becomes `cpu`'s active slab of its cache (see
    /// ``activate(_:cache:cpu:)`` for the previous one).
    /// - Precondition: the slot is free.
    mutating func allocateSlot(_ slot: Int, slab s: Int, requested: Int, site: CallSite, cpu: Int) {
        let c = Int(slabs[s].cache.rawValue)
        activate(s, cache: c, cpu: cpu)
        // Unlink the slot from the slab's freelist, through one buffer of the slab's slots.
        let base = Int(slabs[s].slotBase), objects = Int(slabs[s].objects)
        precondition(slot >= 0 && slot < objects && base + objects <= slots.count, "slot \(slot) of slab \(s)")
        let newHead = slots.withUnsafeMutableBufferPointer { all -> Int16? in
            let slab = all.baseAddress! + base
            let prev = Int(slab[slot].prevFree)
            precondition(prev != Int(Slot.allocated), "slot \(slot) of slab \(s) is in use")
            let next = Machine.markAllocated(&slab[slot], requested: requested, site: site)
            if next >= 0 { slab[Int(next)].prevFree = Int16(truncatingIfNeeded: prev) }
            if prev >= 0 {
                slab[prev].nextFree = next
                return nil
            }
            return next
        }
        if let newHead { slabs[s].freeHead = Int32(newHead) }
        let wasEmpty = slabs[s].inUse == 0
        slabs[s].inUse += 1
        Machine.countAlloc(&caches[c].counters, wasEmpty: wasEmpty, nowFull: slabs[s].inUse == slabs[s].objects)
    }

    /// Makes slab `s` of cache `c` the active slab of `cpu`, off any partial list. The previous one
    /// leaves the CPU for no list: the kernel changes a CPU's slab only when it has no free object
    /// left (`___slab_alloc()`, 6.1 `mm/slub.c`), so one that memtop sees with free slots holds
    /// objects memtop never saw (allocated before tracing); like the kernel's full slab, slabinfo
    /// counts it as active.
    mutating func activate(_ s: Int, cache c: Int, cpu: Int) {
        let cpus = configuration.cpus
        let cpu = min(max(cpu, 0), cpus - 1)
        let active = Int(cpuSlabs[c * cpus + cpu])
        guard active != s else { return }
        if active >= 0 { slabs[active].cpu = -1 }
        if slabs[s].cpu >= 0 { cpuSlabs[c * cpus + Int(slabs[s].cpu)] = -1 }
        let fromNode = slabs[s].onPartial
        if fromNode { removeFromPartial(s, cache: c) }
        if slabs[s].onCPUPartial { removeFromCPUPartial(s) }
        slabs[s].cpu = Int16(cpu)
        cpuSlabs[c * cpus + cpu] = Int32(s)
        if fromNode { takeNodePartials(cache: c, cpu: cpu) }
    }

    /// `get_partial_node()`: a CPU that takes a slab from the node partial list takes the next ones
    /// too, onto its partial list (never drained here), until it has taken more than half of
    /// `cpu_partial_slabs` (6.1 and 6.12 `mm/slub.c`).
    mutating func takeNodePartials(cache c: Int, cpu: Int) {
        var taken = 0
        while taken <= caches[c].cpuPartialSlabs / 2, caches[c].partialHead >= 0 {
            let next = Int(caches[c].partialHead)
            removeFromPartial(next, cache: c)
            let cpus = configuration.cpus
            if cpuPartial.count < caches.count * cpus { cpuPartial += Array(repeating: [], count: caches.count * cpus - cpuPartial.count) }
            cpuPartial[c * cpus + cpu].append(Int32(next))
            slabs[next].onCPUPartial = true
            taken += 1
        }
    }

    /// Turns the observed block holding `address` into a large kmalloc (`kmalloc_large()`: the
    /// pages came first, in their own `mm_page_alloc`), or claims a block of `order` there when the
    /// trace showed none.
    /// - Returns: false when the address is not in memory memtop can place on.
    public mutating func placeLargeKmalloc(at address: VirtualAddress, order blockOrder: Order, requested: Int, site: CallSite) -> Bool {
        let order = blockOrder.rawValue
        guard let pfn = address.directMapFrame, pfn.rawValue < endPFN else { return false }
        let i = pfn.rawValue
        if !(frames[i].owner == .pages && frames[i].placement == .observed && Int(frames[i].order) == order) {
            guard (try? placeBlock(at: pfn, order: blockOrder, migrateType: .unmovable, owner: .pages)) != nil else { return false }
        }
        for f in i..<(i + (1 << order)) { frames[f].owner = .largeKmalloc }
        largeAllocations[address.rawValue] = AllocationInfo(requested: requested, allocSite: site)
        return true
    }

    /// `kfree()` of a large kmalloc in a replay that places pages: the block becomes plain pages
    /// again, for the trace's own `mm_page_free` to return.
    /// - Returns: false when `address` is no large kmalloc.
    public mutating func unplaceLargeKmalloc(at address: VirtualAddress, site: CallSite) -> Bool {
        guard let pfn = address.directMapFrame, pfn.rawValue < endPFN, frames[pfn.rawValue].owner == .largeKmalloc,
              var info = largeAllocations.removeValue(forKey: address.rawValue), let order = blockOrder(at: pfn) else { return false }
        for f in pfn.rawValue..<(pfn.rawValue + (1 << order)) { frames[f].owner = .pages }
        info.freeSite = site
        freedLargeAllocations[address.rawValue] = info
        return true
    }

    /// Moves the reconstructed object in the slot at `address` to a free slot of the same slab (the
    /// slab was rebuilt with its objects in the first slots; the trace allocates this one, so it was free).
    mutating func vacateSlot(at address: VirtualAddress) {
        guard let loc = locateObject(address), loc.inUse, loc.start == address else { return }
        let s = Int(loc.slab), base = Int(slabs[s].slotBase)
        guard slabs[s].inUse < slabs[s].objects,
              let free = (0..<Int(slabs[s].objects)).first(where: { slots[base + $0].isFree }) else { return }
        let record = slots[base + loc.slot]
        _ = try? slabFree(address)
        allocateSlot(free, slab: s, requested: Int(record.requested), site: CallSite(rawValue: record.allocSite), cpu: max(0, Int(slabs[s].cpu)))
    }

    /// Whether empty slabs go back to the buddy allocator on their own (memtop's SLUB) or only when
    /// a trace frees their pages.
    public var slabPagesFollowTrace: Bool {
        get { keepsEmptySlabs }
        set { keepsEmptySlabs = newValue }
    }
}

extension Machine {
    /// Moves the slab holding `address` to cache `target` (a trace named the cache its object
    /// belongs to): the slots stay, the counters follow, and the slab keeps its place in the
    /// target: a CPU's active slab stays that CPU's, a CPU partial slab stays on that CPU's list,
    /// any other slab with free objects goes on the node partial list.
    /// - Returns: false when the caches' slots differ in size, or the address is in no slab.
    @discardableResult
    public mutating func moveSlab(holding address: VirtualAddress, to target: CacheID) -> Bool {
        guard let pfn = address.directMapFrame, pfn.rawValue < endPFN else { return false }
        let s = Int(slabOfFrame[pfn.rawValue])
        guard s >= 0 else { return false }
        let from = Int(slabs[s].cache.rawValue), to = Int(target.rawValue)
        guard from != to else { return true }
        guard caches[from].geometry.size == caches[to].geometry.size else { return false }
        let cpu = Int(slabs[s].cpu), partialCPU = slabs[s].onCPUPartial ? cpuPartialList(holding: s) : nil
        if slabs[s].onPartial { removeFromPartial(s, cache: from) }
        if slabs[s].onCPUPartial { removeFromCPUPartial(s) }
        if cpu >= 0 {
            cpuSlabs[from * configuration.cpus + cpu] = -1
            slabs[s].cpu = -1
        }
        let inUse = Int(slabs[s].inUse), full = slabs[s].inUse == slabs[s].objects
        let objects = Int(slabs[s].objects), order = Int(slabs[s].order)
        caches[from].counters.removeSlab(objects: objects, order: order)
        caches[from].counters.objectsInUse -= inUse
        caches[from].counters.emptySlabs -= (inUse == 0).asInt
        caches[from].counters.fullSlabs -= full.asInt
        caches[to].counters.addSlab(objects: objects, order: order)
        caches[to].counters.objectsInUse += inUse
        caches[to].counters.emptySlabs += (inUse == 0).asInt
        caches[to].counters.fullSlabs += full.asInt
        slabs[s].cache = target
        for f in Int(slabs[s].pfn)..<(Int(slabs[s].pfn) + (1 << Int(slabs[s].order))) { frames[f].owner = .slab(target) }
        if cpu >= 0 {
            activate(s, cache: to, cpu: cpu)
        } else if let partialCPU {
            putCPUPartial(s, cache: to, cpu: partialCPU)
        } else if !full {
            addToPartial(s, cache: to)
        }
        return true
    }

    /// The CPU whose partial list of its cache holds slab `i`.
    func cpuPartialList(holding i: Int) -> Int? {
        let c = Int(slabs[i].cache.rawValue), cpus = configuration.cpus
        return (0..<cpus).first { c * cpus + $0 < cpuPartial.count && cpuPartial[c * cpus + $0].contains(Int32(i)) }
    }
}

extension Machine {
    /// `put_cpu_partial()`: a full slab that got a free goes on the freeing CPU's partial list,
    /// whose free objects slabinfo counts as active; a full list goes to the node partial list first.
    mutating func putCPUPartial(_ i: Int, cache c: Int, cpu: Int) {
        let cpus = configuration.cpus
        if cpuPartial.count < caches.count * cpus { cpuPartial += Array(repeating: [], count: caches.count * cpus - cpuPartial.count) }
        let k = c * cpus + min(max(cpu, 0), cpus - 1)
        if cpuPartial[k].count >= caches[c].cpuPartialSlabs {
            // __unfreeze_partials(): the old list goes to the node.
            for s in cpuPartial[k] {
                slabs[Int(s)].onCPUPartial = false
                if slabs[Int(s)].inUse < slabs[Int(s)].objects { addToPartial(Int(s), cache: c) }
            }
            cpuPartial[k].removeAll(keepingCapacity: true)
        }
        cpuPartial[k].append(Int32(i))
        slabs[i].onCPUPartial = true
    }

    /// Takes slab `i` off the CPU partial list it is on.
    mutating func removeFromCPUPartial(_ i: Int) {
        let c = Int(slabs[i].cache.rawValue), cpus = configuration.cpus
        slabs[i].onCPUPartial = false
        for cpu in 0..<cpus where c * cpus + cpu < cpuPartial.count {
            if let at = cpuPartial[c * cpus + cpu].firstIndex(of: Int32(i)) {
                cpuPartial[c * cpus + cpu].remove(at: at)
                return
            }
        }
    }
}
