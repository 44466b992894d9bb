/// SLUB's object allocator: caches, slabs taken from the buddy allocator, per-CPU active slabs, the
/// node partial list, and empty slabs kept up to `min_partial` before their pages go back.
///
/// Modelled simplification: a slab that gets a free object while off every list goes to the node
/// partial list (real SLUB first parks it on the freeing CPU's partial list). `active_objs`
/// therefore counts only the active slabs' free slots as active, as SLUB does for CPU slabs.
extension Machine {
    /// Why an object free was refused.
    public enum ObjectFreeProblem: Error, Hashable, Sendable {
        /// The address is in no slab.
        case notSlabAddress
        /// The address is inside a slab but not at the start of a slot.
        case interiorPointer(objectStart: VirtualAddress)
        /// The slot is already free.
        case alreadyFree
    }

    /// Where an object lives and what is known about it.
    public struct ObjectLocation: Hashable, Sendable {
        /// Bytes the last allocation of this slot asked for.
        public let requestedSize: Int
        /// Where the slot was last allocated.
        public let allocSite: CallSite
        /// Where the slot was last freed (`.unknown` if never).
        public let freeSite: CallSite
        /// Its cache.
        public let cache: CacheID
        /// The first byte of its slot.
        public let start: VirtualAddress
        /// The slot index in its slab.
        public let slot: Int
        /// Whether the slot is currently handed out.
        public let inUse: Bool
        /// Index of the slab (internal use).
        let slab: Int32
    }

    /// The caches in creation order.
    public var slabCaches: [SlabCache] { caches }

    /// The cache with the given id.
    public func cache(_ id: CacheID) -> SlabCache { caches[Int(id.rawValue)] }

    /// The cache called `name`, if any (the most recently created one wins, as slabinfo lists it first).
    public func cache(named name: String) -> SlabCache? { caches.last { $0.name == name } }

    /// `kmem_cache_create()`: a cache of `size`-byte slots (already computed by the caller's policy)
    /// with the geometry SLUB computes for this machine's CPUs and kernel.
    /// - Returns: the new cache's id.
    @discardableResult
    public mutating func createCache(name: String, objectSize: Int, size: Int, align: Int, flags: SlabCache.Flags = [],
                                     kmallocType: SlabCache.KmallocType? = nil) -> CacheID {
        let id = CacheID(rawValue: UInt16(caches.count))
        let geometry = SlabGeometry(size: size, cpus: configuration.cpus, kernel: configuration.kernel)
        caches.append(SlabCache(id: id, name: name, objectSize: objectSize, align: align, geometry: geometry,
                                flags: flags, kmallocType: kmallocType, cpus: configuration.cpus))
        return id
    }

    /// Registers `id` as `kmalloc_caches[type][index]`.
    public mutating func registerKmallocCache(_ id: CacheID, type: SlabCache.KmallocType, index: Int) {
        kmallocCaches[type.rawValue * 14 + index] = Int32(id.rawValue)
    }

    /// `kmalloc_caches[type][index]`, if created.
    public func kmallocCache(type: SlabCache.KmallocType, index: Int) -> CacheID? {
        let raw = kmallocCaches[type.rawValue * 14 + index]
        return raw < 0 ? nil : CacheID(rawValue: UInt16(raw))
    }

    /// Allocates one object from `cache` on `cpu`: the CPU's active slab, else the head of the node
    /// partial list, else a new slab from the buddy allocator.
    /// - Throws: ``PageAllocationFailure`` when a new slab was needed and no pages could be had.
    public mutating func slabAlloc(_ cacheID: CacheID, gfp: GFPFlags, requested: Int, site: CallSite = .unknown,
                                   cpu: Int = 0) throws(PageAllocationFailure) -> VirtualAddress {
        let c = Int(cacheID.rawValue)
        let cpu = min(max(cpu, 0), caches[c].cpuSlab.count - 1)
        var s = caches[c].cpuSlab[cpu]
        if s >= 0 && slabs[Int(s)].inUse == slabs[Int(s)].objects {
            // deactivate_slab(): a full slab goes on no list.
            slabs[Int(s)].cpu = -1
            caches[c].cpuSlab[cpu] = -1
            s = -1
        }
        if s < 0 {
            if caches[c].partialHead >= 0 {
                s = caches[c].partialHead
                removeFromPartial(Int(s), cache: c)
            } else {
                s = try newSlab(cache: c, gfp: gfp)
            }
            slabs[Int(s)].cpu = Int16(cpu)
            caches[c].cpuSlab[cpu] = s
        }
        let i = Int(s)
        // INVARIANT: an active slab that is not full has a free slot.
        let slot = Int(slabs[i].freeList.removeLast())
        slabs[i].freeBits[slot >> 6] &= ~(1 << UInt64(slot & 63))
        slabs[i].requested[slot] = UInt32(truncatingIfNeeded: requested)
        slabs[i].allocSite[slot] = site.rawValue
        slabs[i].tags[slot] = 0
        if slabs[i].inUse == 0 { caches[c].emptySlabs -= 1 }
        slabs[i].inUse += 1
        if slabs[i].inUse == slabs[i].objects { caches[c].fullSlabs += 1 }
        caches[c].objectsInUse += 1
        return objectAddress(slab: i, slot: slot, size: caches[c].geometry.size)
    }

    /// Finds the object an address points into, if it is in a slab.
    public func locateObject(_ address: VirtualAddress) -> ObjectLocation? {
        guard let pfn = address.directMapFrame, pfn.rawValue < endPFN,
              case .slab(let cacheID) = frames[pfn.rawValue].owner else { return nil }
        let s = frames[pfn.rawValue].next
        guard s >= 0 else { return nil }
        let slab = slabs[Int(s)]
        let size = UInt64(caches[Int(cacheID.rawValue)].geometry.size)
        let base = VirtualAddress.directMap(PageFrameNumber(Int(slab.pfn))).rawValue
        let slot = Int((address.rawValue - base) / size)
        guard slot < Int(slab.objects) else { return nil }   // in the leftover bytes at the slab's end
        return ObjectLocation(requestedSize: Int(slab.requested[slot]), allocSite: CallSite(rawValue: slab.allocSite[slot]),
                              freeSite: CallSite(rawValue: slab.freeSite[slot]), cache: cacheID,
                              start: VirtualAddress(base + UInt64(slot) * size), slot: slot, inUse: !slab.isFree(slot), slab: s)
    }

    /// Frees the object at `address` back to its slab; an empty slab beyond the cache's
    /// `min_partial` goes back to the buddy allocator.
    /// - Throws: ``ObjectFreeProblem`` for an address that is not an in-use object's start; the
    ///   machine is then unchanged.
    @discardableResult
    public mutating func slabFree(_ address: VirtualAddress, site: CallSite = .unknown) throws(ObjectFreeProblem) -> CacheID {
        guard let loc = locateObject(address) else { throw .notSlabAddress }
        guard loc.start == address else { throw .interiorPointer(objectStart: loc.start) }
        guard loc.inUse else { throw .alreadyFree }
        let i = Int(loc.slab), c = Int(loc.cache.rawValue)
        let wasFull = slabs[i].inUse == slabs[i].objects
        slabs[i].freeList.append(UInt16(loc.slot))
        slabs[i].freeSite[loc.slot] = site.rawValue
        slabs[i].freeBits[loc.slot >> 6] |= 1 << UInt64(loc.slot & 63)
        slabs[i].inUse -= 1
        caches[c].objectsInUse -= 1
        if wasFull { caches[c].fullSlabs -= 1 }
        if slabs[i].inUse == 0 { caches[c].emptySlabs += 1 }
        if slabs[i].onPartial { caches[c].partialFreeObjects += 1 }
        guard slabs[i].cpu < 0 else { return loc.cache }
        if slabs[i].inUse == 0 && caches[c].partialCount >= caches[c].geometry.minPartial {
            if slabs[i].onPartial { removeFromPartial(i, cache: c) }
            discardSlab(i, cache: c)
        } else if wasFull {
            addToPartial(i, cache: c)
        }
        return loc.cache
    }

    /// The address of slot `slot` of slab `i`.
    func objectAddress(slab i: Int, slot: Int, size: Int) -> VirtualAddress {
        VirtualAddress.directMap(PageFrameNumber(Int(slabs[i].pfn))).advanced(by: slot * size)
    }

    /// `allocate_slab()`: pages at the cache's order with `__GFP_NOWARN|__GFP_NORETRY` (and, when the
    /// request may sleep, without reclaim and with `__GFP_NOMEMALLOC`), else at the minimum order.
    mutating func newSlab(cache c: Int, gfp: GFPFlags) throws(PageAllocationFailure) -> Int32 {
        let cache = caches[c]
        var reclaimMask: GFPFlags = [.reclaim, .high, .io, .fs, .noWarn, .retryMayFail, .noFail, .noRetry,
                                     .memalloc, .noMemalloc, .hardwall, .thisNode]
        if configuration.kernel == .v6_1 { reclaimMask.insert(.atomicBit) }
        var flags = gfp.intersection(reclaimMask)
        if cache.flags.contains(.reclaimAccount) { flags.insert(.reclaimable) }
        if cache.flags.contains(.dma) { flags.insert(.dma) }
        let geometry = cache.geometry
        var first = flags.union([.noWarn, .noRetry]).subtracting(.noFail)
        if geometry.order > 0 { first.insert(.comp) }
        if flags.allowsBlocking && geometry.order > geometry.minOrder {
            first = first.union(.noMemalloc).subtracting(.reclaim)
        }
        var order = geometry.order
        let pfn: PageFrameNumber
        do {
            pfn = try allocPages(order: order, gfp: first, owner: .slab(cache.id))
        } catch {
            order = geometry.minOrder
            var fallback = flags
            if order > 0 { fallback.insert(.comp) }
            pfn = try allocPages(order: order, gfp: fallback, owner: .slab(cache.id))
        }
        let objects = (Page.size << order) / geometry.size
        let slab = Slab(cache: cache.id, pfn: Int32(pfn.rawValue), order: Int8(order), cpu: -1, onPartial: false,
                        objects: Int32(objects), inUse: 0,
                        freeList: (0..<objects).reversed().map { UInt16($0) },
                        freeBits: SlabBits.allFree(objects), requested: Array(repeating: 0, count: objects),
                        allocSite: Array(repeating: 0, count: objects), freeSite: Array(repeating: 0, count: objects),
                        tags: Array(repeating: 0, count: objects),
                        next: -1, prev: -1)
        let index: Int32
        if let reuse = freeSlabIndices.popLast() { index = reuse; slabs[Int(index)] = slab }
        else { index = Int32(slabs.count); slabs.append(slab) }
        for f in pfn.rawValue..<(pfn.rawValue + (1 << order)) { frames[f].next = index }
        caches[c].slabCount += 1
        caches[c].emptySlabs += 1
        if events.isRecording { record(.slabCreated(cache: cache.id, pfn: pfn, order: order, objects: objects)) }
        return index
    }

    /// Gives an empty slab's pages back to the buddy allocator.
    mutating func discardSlab(_ i: Int, cache c: Int) {
        let pfn = PageFrameNumber(Int(slabs[i].pfn)), order = Int(slabs[i].order)
        caches[c].slabCount -= 1
        caches[c].emptySlabs -= 1
        if events.isRecording { record(.slabDestroyed(cache: caches[c].id, pfn: pfn, order: order)) }
        for f in pfn.rawValue..<(pfn.rawValue + (1 << order)) { frames[f].next = -1 }
        slabs[i].freeList = []
        slabs[i].freeBits = []
        slabs[i].requested = []
        slabs[i].allocSite = []
        slabs[i].freeSite = []
        slabs[i].tags = []
        freeSlabIndices.append(Int32(i))
        do { try freePages(pfn, order: order) } catch {
            preconditionFailure("slab pages at \(pfn) order \(order) were not a valid allocation: \(error)")
        }
    }

    mutating func addToPartial(_ i: Int, cache c: Int) {
        let tail = caches[c].partialTail
        slabs[i].prev = tail
        slabs[i].next = -1
        if tail >= 0 { slabs[Int(tail)].next = Int32(i) } else { caches[c].partialHead = Int32(i) }
        caches[c].partialTail = Int32(i)
        slabs[i].onPartial = true
        caches[c].partialCount += 1
        caches[c].partialFreeObjects += Int(slabs[i].objects - slabs[i].inUse)
    }

    mutating func removeFromPartial(_ i: Int, cache c: Int) {
        let n = slabs[i].next, p = slabs[i].prev
        if p >= 0 { slabs[Int(p)].next = n } else { caches[c].partialHead = n }
        if n >= 0 { slabs[Int(n)].prev = p } else { caches[c].partialTail = p }
        slabs[i].next = -1
        slabs[i].prev = -1
        slabs[i].onPartial = false
        caches[c].partialCount -= 1
        caches[c].partialFreeObjects -= Int(slabs[i].objects - slabs[i].inUse)
    }

    /// `/proc/slabinfo`: the header, then one line per cache, newest cache first.
    public func slabinfo() -> String {
        var out = "slabinfo - version: 2.1\n"
        out += "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n"
        for cache in caches.reversed() { out += cache.slabinfoLine + "\n" }
        return out
    }
}

/// Free-slot bitmaps.
enum SlabBits {
    /// A bitmap with the first `count` bits set.
    static func allFree(_ count: Int) -> [UInt64] {
        var bits = [UInt64](repeating: ~0, count: (count + 63) / 64)
        if count % 64 != 0 { bits[bits.count - 1] = (1 << UInt64(count % 64)) - 1 }
        return bits
    }
}
