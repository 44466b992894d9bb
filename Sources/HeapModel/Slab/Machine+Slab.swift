import CPrefetch
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

        @usableFromInline
        init(requestedSize: Int, allocSite: CallSite, freeSite: CallSite, cache: CacheID, start: VirtualAddress, slot: Int, inUse: Bool, slab: Int32) {
            (self.requestedSize, self.allocSite, self.freeSite, self.cache) = (requestedSize, allocSite, freeSite, cache)
            (self.start, self.slot, self.inUse, self.slab) = (start, slot, inUse, slab)
        }
    }

    /// The caches in creation order.
    public var slabCaches: [SlabCache] { caches }

    /// The cache with the given id.
    public func cache(_ id: CacheID) -> SlabCache { caches[Int(id.rawValue)] }

    /// A cache's name, without copying the cache record.
    @inlinable public func cacheName(of id: CacheID) -> String { caches[Int(id.rawValue)].name }

    /// A cache's object size (what callers asked for), without copying the cache record.
    @inlinable public func objectSize(of id: CacheID) -> Int { caches[Int(id.rawValue)].objectSize }

    /// A cache's slot size (`bytes_alloc`), without copying the cache record.
    @inlinable public func slotSize(of id: CacheID) -> Int { caches[Int(id.rawValue)].geometry.size }

    /// The cache called `name`, if any (the most recently created one wins, as slabinfo lists it first).
    public func cache(named name: String) -> SlabCache? { caches.last { $0.name == name } }

    /// The largest slot a cache may have: one object in a block of the top order (4 MiB).
    public static let maxSlotSize = Page.size << Page.maxOrder

    /// `kmem_cache_create()`: a cache of `size`-byte slots (already computed by the caller's policy)
    /// with the geometry SLUB computes for this machine's CPUs and kernel, or the `geometry` given
    /// (a real cache's, from a capture).
    /// - Returns: the new cache's id, or nil when the slot size is outside 8 bytes...4 MiB or the
    ///   machine already has 65535 caches (the kernel would fail the creation likewise).
    @discardableResult
    public mutating func createCache(name: String, objectSize: Int, size: Int, align: Int, flags: SlabCache.Flags = [],
                                     kmallocType: SlabCache.KmallocType? = nil, geometry given: SlabGeometry? = nil) -> CacheID? {
        guard size >= 8, size <= Machine.maxSlotSize, caches.count < Int(UInt16.max) else { return nil }
        let id = CacheID(rawValue: UInt16(caches.count))
        let geometry = given ?? SlabGeometry(size: size, cpus: configuration.cpus, kernel: configuration.kernel)
        caches.append(SlabCache(id: id, name: name, objectSize: objectSize, align: align, geometry: geometry,
                                flags: flags, kmallocType: kmallocType, cpus: configuration.cpus))
        cpuSlabs.append(contentsOf: repeatElement(-1, count: configuration.cpus))
        return id
    }

    /// Renames a cache (a replayed trace learns names from `kmem_cache_free` lines).
    public mutating func renameCache(_ id: CacheID, to name: String) {
        caches[Int(id.rawValue)].name = name
    }

    /// Registers `id` as `kmalloc_caches[type][index]`.
    public mutating func registerKmallocCache(_ id: CacheID, type: SlabCache.KmallocType, index: Int) {
        kmallocCaches[type, index] = id
    }

    /// `kmalloc_caches[type][index]`, if created.
    @inlinable
    public func kmallocCache(type: SlabCache.KmallocType, index: Int) -> CacheID? {
        kmallocCaches[type, index]
    }

    /// Allocates one object from `cache` on `cpu`: the CPU's active slab, else the head of the node
    /// partial list, else a new slab from the buddy allocator.
    /// - Throws: ``PageAllocationFailure`` when a new slab was needed and no pages could be had.
    public mutating func slabAlloc(_ cacheID: CacheID, gfp: GFPFlags, requested: Int, site: CallSite = .unknown,
                                   cpu: Int = 0) throws(PageAllocationFailure) -> VirtualAddress {
        let c = Int(cacheID.rawValue)
        let cpus = configuration.cpus
        let cpu = min(max(cpu, 0), cpus - 1)
        var s = cpuSlabs[c * cpus + cpu]
        if s >= 0 && slabs[Int(s)].inUse == slabs[Int(s)].objects {
            // deactivate_slab(): a full slab goes on no list.
            slabs[Int(s)].cpu = -1
            cpuSlabs[c * cpus + cpu] = -1
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
            cpuSlabs[c * cpus + cpu] = s
        }
        let i = Int(s)
        // Hot path: one write access per array (each write access to an element costs a
        // uniqueness check), and records updated in place rather than copied out and back.
        let (slot, wasEmpty, nowFull) = Machine.popFree(&slabs[i], slots: &slots, requested: requested, site: site)
        Machine.countAlloc(&caches[c].counters, wasEmpty: wasEmpty, nowFull: nowFull)
        return objectAddress(slab: i, slot: slot, size: caches[c].geometry.size)
    }

    /// Takes the head of the slab's freelist; returns the slot, whether the slab was empty and
    /// whether it is now full.
    /// - Precondition: the slab is not full (an active slab that is not full has a free slot).
    @inline(__always)
    static func popFree(_ slab: inout Slab, slots: inout [Slot], requested: Int, site: CallSite) -> (Int, Bool, Bool) {
        let slot = Int(slab.freeHead), base = Int(slab.slotBase)
        let next = markAllocated(&slots[base + slot], requested: requested, site: site)
        if next >= 0 { slots[base + Int(next)].prevFree = -1 }
        slab.freeHead = Int32(next)
        let wasEmpty = slab.inUse == 0
        slab.inUse += 1
        return (slot, wasEmpty, slab.inUse == slab.objects)
    }

    /// A slot's allocation-side fields, set in one access; returns the next free slot it linked to.
    /// The caller unlinks it: the next slot's `prevFree`, or its predecessor's `nextFree`.
    @inline(__always)
    static func markAllocated(_ slot: inout Slot, requested: Int, site: CallSite) -> Int16 {
        let next = slot.nextFree
        slot.packed = Slot.packed(requested: requested)
        slot.allocSite = site.rawValue
        slot.nextFree = -1
        slot.prevFree = Slot.allocated
        return next
    }

    /// Puts `slot` at the head of the slab's freelist (`slab` being the slab's slots), in one
    /// access to the slab; returns whether the slab was full, is now empty, and is on the partial list.
    @inline(__always)
    static func pushFree(_ slab: inout Slab, slot: Int, in slots: UnsafeMutablePointer<Slot>, site: CallSite) -> (Bool, Bool, Bool) {
        let wasFull = slab.inUse == slab.objects
        let head = slab.freeHead
        markFree(&slots[slot], next: head, site: site)
        if head >= 0 { slots[Int(head)].prevFree = Int16(truncatingIfNeeded: slot) }
        slab.freeHead = Int32(slot)
        slab.inUse -= 1
        return (wasFull, slab.inUse == 0, slab.onPartial)
    }

    /// A slot's free-side fields, set in one access without copying the record out and back.
    @inline(__always)
    static func markFree(_ slot: inout Slot, next: Int32, site: CallSite) {
        slot.nextFree = Int16(truncatingIfNeeded: next)
        slot.prevFree = -1
        slot.freeSite = site.rawValue
    }

    /// Counter updates of one allocation, in a single access to the cache. Without branches: whether
    /// a slab was empty or became full is as random as the frees before it, and a mispredicted
    /// branch costs more than the arithmetic.
    @inline(__always)
    static func countAlloc(_ k: inout SlabCache.Counters, wasEmpty: Bool, nowFull: Bool) {
        k.emptySlabs &-= wasEmpty.asInt
        k.fullSlabs &+= nowFull.asInt
        k.objectsInUse &+= 1
    }

    /// Counter updates of one free, in a single access to the cache (without branches, as above).
    @inline(__always)
    static func countFree(_ k: inout SlabCache.Counters, wasFull: Bool, nowEmpty: Bool, onPartial: Bool) {
        k.objectsInUse &-= 1
        k.fullSlabs &-= wasFull.asInt
        k.emptySlabs &+= nowEmpty.asInt
        k.partialFreeObjects &+= onPartial.asInt
    }

    /// Finds the object an address points into, if it is in a slab.
    ///
    /// Inlinable, like the accessors above, because the replay calls them per line on a machine it
    /// holds `inout`: a call that is not inlined copies the whole machine struct (456 bytes) first.
    @inlinable @inline(__always) public func locateObject(_ address: VirtualAddress) -> ObjectLocation? {
        guard let pfn = address.directMapFrame, pfn.rawValue < endPFN,
              case .slab(let cacheID) = frames[pfn.rawValue].owner else { return nil }
        let s = slabOfFrame[pfn.rawValue]
        guard s >= 0 else { return nil }
        let slab = slabs[Int(s)]
        let size = UInt64(caches[Int(cacheID.rawValue)].geometry.size)
        let base = VirtualAddress.directMap(PageFrameNumber(Int(slab.pfn))).rawValue
        // A multiply by the size's reciprocal instead of a division below 64 KiB, as slabFree does:
        // exact there (ceil(2^32 / size) times an offset below 2^16 errs by less than 1 / size).
        let offset = address.rawValue - base
        let slot = Int(offset < 1 << 16 ? (offset &* caches[Int(cacheID.rawValue)].reciprocalSize) >> 32 : offset / size)
        guard slot < Int(slab.objects) else { return nil }   // in the leftover bytes at the slab's end
        let info = slots[Int(slab.slotBase) + slot]
        return ObjectLocation(requestedSize: Int(info.requested), allocSite: CallSite(rawValue: info.allocSite),
                              freeSite: CallSite(rawValue: info.freeSite), cache: cacheID,
                              start: VirtualAddress(base + UInt64(slot) * size), slot: slot, inUse: !info.isFree, slab: s)
    }

    /// Starts loading the slot record of the object at `address` without waiting for it: a replay
    /// that knows its next frees calls this a few lines ahead, so that ``slabFree(_:site:)`` finds
    /// the record in the cache. Does nothing for an address that is not in a slab.
    public mutating func prefetchObject(_ address: VirtualAddress) {
        guard let frame = address.directMapFrame, frame.rawValue < endPFN else { return }
        let i = Int(slabOfFrame[frame.rawValue])
        guard i >= 0 else { return }
        let c = Int(slabs[i].cache.rawValue)
        let offset = address.rawValue &- VirtualAddress.directMap(PageFrameNumber(Int(slabs[i].pfn))).rawValue
        let slot = Int(offset < 1 << 16 ? (offset &* caches[c].reciprocalSize) >> 32 : offset / UInt64(caches[c].geometry.size))
        let j = Int(slabs[i].slotBase) + slot
        guard slot < Int(slabs[i].objects), j < slots.count else { return }
        slots.withUnsafeBufferPointer { memtop_prefetch($0.baseAddress! + j) }
    }

    /// Frees the object at `address` back to its slab; an empty slab beyond the cache's
    /// `min_partial` goes back to the buddy allocator.
    /// - Throws: ``ObjectFreeProblem`` for an address that is not an in-use object's start; the
    ///   machine is then unchanged.
    @discardableResult
    public mutating func slabFree(_ address: VirtualAddress, site: CallSite = .unknown, cpu: Int = 0) throws(ObjectFreeProblem) -> CacheID {
        // The hot path of every kfree: frame -> slab -> slot, with SLUB's reciprocal division.
        // slabOfFrame is 4 bytes a frame, so this lookup touches a quarter of the lines `frames` would.
        guard let frame = address.directMapFrame, frame.rawValue < endPFN else { throw .notSlabAddress }
        let i = Int(slabOfFrame[frame.rawValue])
        guard i >= 0 else { throw .notSlabAddress }
        let cacheID = slabs[i].cache
        let c = Int(cacheID.rawValue)
        let offset = address.rawValue &- VirtualAddress.directMap(PageFrameNumber(Int(slabs[i].pfn))).rawValue
        let size = UInt64(caches[c].geometry.size)
        let slot = Int(offset < 1 << 16 ? (offset &* caches[c].reciprocalSize) >> 32 : offset / size)
        guard slot < Int(slabs[i].objects) else { throw .notSlabAddress }
        guard UInt64(slot) &* size == offset else {
            throw .interiorPointer(objectStart: VirtualAddress(address.rawValue &- (offset &- UInt64(slot) &* size)))
        }
        let j = Int(slabs[i].slotBase) + slot
        guard !slots[j].isFree else { throw .alreadyFree }
        let loc = (slot: slot, cache: cacheID)
        let (wasFull, nowEmpty, onPartial) = slots.withUnsafeMutableBufferPointer {
            Machine.pushFree(&slabs[i], slot: slot, in: $0.baseAddress! + (j - slot), site: site)
        }
        Machine.countFree(&caches[c].counters, wasFull: wasFull, nowEmpty: nowEmpty, onPartial: onPartial)
        guard slabs[i].cpu < 0 else { return loc.cache }
        if slabs[i].inUse == 0 && caches[c].counters.partialCount >= caches[c].geometry.minPartial && !keepsEmptySlabs {
            if slabs[i].onPartial { removeFromPartial(i, cache: c) }
            discardSlab(i, cache: c)
        } else if wasFull {
            if keepsEmptySlabs && caches[c].cpuPartialSlabs > 0 { putCPUPartial(i, cache: c, cpu: cpu) } else { addToPartial(i, cache: c) }
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
        if configuration.kernel.hasAtomicGFPBit { reclaimMask.insert(.atomicBit) }
        var flags = gfp.intersection(reclaimMask)
        if cache.flags.contains(.reclaimAccount) { flags.insert(.reclaimable) }
        if cache.flags.contains(.dma) { flags.insert(.dma) }
        let geometry = cache.geometry
        // s->allocflags (calculate_sizes() in mm/slub.c): 6.1 adds __GFP_COMP when the preferred
        // order is above 0, and it then applies to the s->min retry too; 6.12 and 6.18 always add
        // it, so order-0 slab pages are compound-flagged as well.
        if configuration.kernel.slabPagesAlwaysCompound || geometry.order > 0 { flags.insert(.comp) }
        var first = flags.union([.noWarn, .noRetry]).subtracting(.noFail)
        if flags.allowsBlocking && geometry.order > geometry.minOrder {
            first = first.union(.noMemalloc).subtracting(.reclaim)
        }
        var order = geometry.order
        let pfn: PageFrameNumber
        do {
            pfn = try allocPages(order: Order(order), gfp: first, owner: .slab(cache.id))
        } catch {
            order = geometry.minOrder
            pfn = try allocPages(order: Order(order), gfp: flags, owner: .slab(cache.id))
        }
        let objects = (Page.size << order) / geometry.size
        let base = takeSlotRange(objects)
        let slab = Slab(cache: cache.id, pfn: Int32(pfn.rawValue), order: Int8(order), cpu: -1, onPartial: false,
                        objects: Int32(objects), inUse: 0, freeHead: 0, slotBase: Int32(base), next: -1, prev: -1)
        let index: Int32
        if let reuse = freeSlabIndices.popLast() { index = reuse; slabs[Int(index)] = slab }
        else { index = Int32(slabs.count); slabs.append(slab) }
        for f in pfn.rawValue..<(pfn.rawValue + (1 << order)) { slabOfFrame[f] = index }
        caches[c].counters.addSlab(objects: objects, order: order)
        caches[c].counters.emptySlabs += 1
        recordUntallied(.slabCreated(cache: cache.id, pfn: pfn, order: Order(order), objects: objects))
        return index
    }

    /// Gives an empty slab's pages back to the buddy allocator.
    mutating func discardSlab(_ i: Int, cache c: Int) {
        let pfn = PageFrameNumber(Int(slabs[i].pfn)), order = Int(slabs[i].order)
        caches[c].counters.removeSlab(objects: Int(slabs[i].objects), order: order)
        caches[c].counters.emptySlabs -= 1
        let id = caches[c].id
        recordUntallied(.slabDestroyed(cache: id, pfn: pfn, order: Order(order)))
        for f in pfn.rawValue..<(pfn.rawValue + (1 << order)) { slabOfFrame[f] = -1 }
        keepSlotRange(slabs[i].slotBase, length: Int(slabs[i].objects))
        slabs[i].objects = 0
        slabs[i].inUse = 0
        slabs[i].freeHead = -1
        freeSlabIndices.append(Int32(i))
        do { try freePages(pfn, order: Order(order)) } catch {
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
        caches[c].counters.partialCount += 1
        caches[c].counters.partialFreeObjects += Int(slabs[i].objects - slabs[i].inUse)
    }

    mutating func removeFromPartial(_ i: Int, cache c: Int) {
        let n = slabs[i].next, p = slabs[i].prev
        if p >= 0 { slabs[Int(p)].next = n } else { caches[c].partialHead = n }
        if n >= 0 { slabs[Int(n)].prev = p } else { caches[c].partialTail = p }
        slabs[i].next = -1
        slabs[i].prev = -1
        slabs[i].onPartial = false
        caches[c].counters.partialCount -= 1
        caches[c].counters.partialFreeObjects -= Int(slabs[i].objects - slabs[i].inUse)
    }

    /// `/proc/slabinfo`: the header, then one line per cache, newest cache first.
    public func slabinfo() -> String {
        var out = "slabinfo - version: 2.1\n"
        out += "# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n"
        for cache in caches.reversed() { out += cache.slabinfoLine + "\n" }
        return out
    }
}

extension Bool {
    /// 1 or 0, for counting without a branch.
    @inline(__always) var asInt: Int { Int(unsafeBitCast(self, to: UInt8.self)) }
}
