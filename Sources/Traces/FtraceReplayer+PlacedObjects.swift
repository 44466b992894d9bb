import Allocators
import HeapModel

extension FtraceReplayer {
    /// A traced `kmalloc`: at its real address, in the kmalloc cache whose slot is `bytes_alloc`
    /// (memtop's own size-class choice for `bytes_req` and the flags is what the check compares), or
    /// a large kmalloc on the block the trace allocated for it.
    mutating func placeKmalloc(_ d: DecodedLine, bytes: UnsafeBufferPointer<UInt8>, on machine: inout Machine) {
        noteObject(d)
        guard let ours = ours(d.address, machine) else { simulationFailed(d.line, "object outside memtop's direct map"); return }
        let (req, real) = (d.a, d.b)
        let site = site(d, bytes, &machine)
        if real > KmallocSizes.maxCacheSize {
            let order = Page.order(forBytes: real)
            check?.compare("large kmalloc order", line: d.line, real: order, ours: Page.order(forBytes: max(req, 1)), what: "kmalloc(\(req)): ")
            if machine.placeLargeKmalloc(at: ours, order: Order(order), requested: req, site: site) {
                appliedCounts[Applied.kmalloc.rawValue] += 1
            } else {
                simulationFailed(d.line, "large kmalloc(\(req)): no traced block of order \(order) there")
            }
            return
        }
        // bytes_req past what a kmalloc cache serves (or 0) with a small bytes_alloc: not a kernel's line.
        guard req > 0, req <= KmallocSizes.maxCacheSize else { simulationFailed(d.line, "kmalloc(\(req)) with a slot of \(real) bytes"); return }
        let type = KmallocSizes.type(for: d.flags)
        guard let chosen = machine.kmallocCache(type: type, index: KmallocSizes.index(forSize: req)) else {
            simulationFailed(d.line, "kmalloc(\(req)): no kmalloc cache of that type")
            return
        }
        check?.compare("kmalloc bytes_alloc", line: d.line, real: real, ours: machine.slotSize(of: chosen), what: "kmalloc(\(req)): ")
        // The kernel's cache: memtop's choice when the slot sizes agree, else the same type's cache of the real slot size.
        var cache = chosen
        if machine.slotSize(of: chosen) != real {
            for index in 0..<14 {
                if let other = machine.kmallocCache(type: type, index: index), machine.slotSize(of: other) == real { cache = other; break }
            }
        }
        placeObject(ours, cache: cache, requested: req, site: site, d, on: &machine)
        appliedCounts[Applied.kmalloc.rawValue] += 1
    }

    /// A traced `kmem_cache_alloc`: the cache of the slab page it lands in, else the one its `name=`
    /// (6.18) or its sizes name unambiguously, else a provisional cache of those sizes that the
    /// first `kmem_cache_free name=` of one of its objects corrects.
    mutating func placeCacheAlloc(_ d: DecodedLine, bytes: UnsafeBufferPointer<UInt8>, on machine: inout Machine) {
        noteObject(d)
        guard let ours = ours(d.address, machine) else { simulationFailed(d.line, "object outside memtop's direct map"); return }
        let (req, real) = (d.a, d.b)
        var cache: CacheID?
        if let pfn = ours.directMapFrame, case .slab(let c) = machine.owner(of: pfn), machine.slotSize(of: c) == real { cache = c }
        if cache == nil, let name = fieldText("name", bytes) { cache = namedCache(name, objectSize: req, slotSize: real, on: &machine) }
        let site = site(d, bytes, &machine)
        if cache == nil, let known = siteCaches[site], machine.slotSize(of: known) == real { cache = known }
        if cache == nil { cache = cacheFor(objectSize: req, slotSize: real, bytes: bytes, in: &machine) }
        guard let cache else { simulationFailed(d.line, "kmem_cache_alloc of \(req)/\(real) bytes: no cache of those sizes"); return }
        check?.compare("kmem_cache_alloc bytes_alloc", line: d.line, real: real, ours: machine.slotSize(of: cache),
                       what: "\(machine.cacheName(of: cache)): ")
        placeObject(ours, cache: cache, requested: req, site: site, d, on: &machine)
        appliedCounts[Applied.kmemCacheAlloc.rawValue] += 1
    }

    /// Places one object and counts what that took.
    mutating func placeObject(_ ours: VirtualAddress, cache: CacheID, requested: Int, site: CallSite, _ d: DecodedLine,
                              on machine: inout Machine) {
        var outcome = machine.placeObject(at: ours, cache: cache, requested: requested, site: site, cpu: cpu(d, machine))
        var placed = cache
        if case .otherCache(let other) = outcome, machine.slotSize(of: other) == machine.slotSize(of: cache) {
            // The kernel put it in a slab of another cache of the same slot size: the trace wins.
            tally.placement.otherCache += 1
            placed = other
            outcome = machine.placeObject(at: ours, cache: other, requested: requested, site: site, cpu: cpu(d, machine))
        }
        switch outcome {
        case .inSlab, .newSlab, .claimedSlab, .reusedLiveSlot: recordAllocation(ours, cache: placed, requested: requested, site: site, d, on: &machine)
        default: break
        }
        switch outcome {
        case .inSlab, .newSlab: break
        case .claimedSlab:
            tally.placement.claimedSlabs += 1
            // A slab of a cache not yet named, made with no page allocation before it: it existed
            // before tracing, so once named it is one of that cache's rebuilt slabs.
            if unnamed.contains(cache), let head = slabHead(ours, machine) { slabsBeforeTracing.insert(head) }
        case .reusedLiveSlot: tally.placement.lostFrees += 1
        case .otherCache, .impossible:
            // Nowhere memtop can put it where the trace says: memtop's own allocator places it.
            tally.placement.objectsNotPlaced += 1
            if let simulated = KmemCache.alloc(cache, flags: d.flags, site: site, cpu: cpu(d, machine), in: &machine) {
                if let old = objects.updateValue(simulated, forKey: d.address) { Kmalloc.kfree(old, in: &machine) }
            } else {
                simulationFailed(d.line, "kmem_cache_alloc from \(machine.cacheName(of: cache)): memtop could not allocate")
            }
        }
    }

    /// A traced `kfree` or `kmem_cache_free` at its real address; a cache free's `name=` names the
    /// cache of the object's slab.
    mutating func placeFree(_ d: DecodedLine, bytes: UnsafeBufferPointer<UInt8>, on machine: inout Machine) {
        let site = site(d, bytes, &machine)
        if !objects.isEmpty, let simulated = objects.removeValue(forKey: d.address) {
            if Kmalloc.kfree(simulated, site: site, in: &machine) != nil { tally.violations += 1 }
            return
        }
        guard let ours = ours(d.address, machine) else { tally.freesOfUnknown += 1; return }
        if machine.unplaceLargeKmalloc(at: ours, site: site) { appliedCounts[Applied.kfree.rawValue] += 1; return }
        let isCacheFree = d.event == .kmemCacheFree
        var found = machine.locateObject(ours)
        if found.map({ !$0.inUse || $0.start != ours }) ?? true {
            guard reviveUnknownObject(ours, d, bytes, on: &machine) else { countUnmatchedFree(ours, machine); return }
            found = machine.locateObject(ours)
        }
        guard let loc = found, loc.inUse, loc.start == ours else { tally.freesOfUnknown += 1; return }
        if isCacheFree {
            // Most named frees name the cache the object is already in: known by the name's hash,
            // that needs no string.
            let hashed = d.nameEnd > d.nameStart
            if hashed, let known = freedCaches[d.nameHash], known == loc.cache {
                learnSite(loc.allocSite, cache: known, on: &machine)
            } else if hashed, let known = unlearnedCaches[d.nameHash], known == loc.cache {
                // The object's cache has that name and no free has named it otherwise: nothing to learn.
            } else if let name = cacheName(d, bytes) {
                let sameName = machine.cacheName(of: loc.cache) == name
                if !sameName,
                   let named = namedCache(name, objectSize: machine.objectSize(of: loc.cache), slotSize: machine.slotSize(of: loc.cache), on: &machine) {
                    moveToNamedCache(ours, named, on: &machine)
                }
                if let named = cachesByName[name] {
                    if hashed && freedCaches.count < 1 << 14 { _ = freedCaches.updateValue(named, forKey: d.nameHash) }
                    learnSite(loc.allocSite, cache: named, on: &machine)
                } else if sameName && hashed && unlearnedCaches.count < 1 << 14 {
                    _ = unlearnedCaches.updateValue(loc.cache, forKey: d.nameHash)
                }
            }
        }
        if (try? machine.slabFree(ours, site: site, cpu: cpu(d, machine))) == nil {
            tally.violations += 1
        } else {
            machine.recordUntallied(isCacheFree ? .cacheObjectFreed(ptr: ours, cache: loc.cache, site: site) : .objectFreed(ptr: ours, site: site))
        }
        appliedCounts[(isCacheFree ? Applied.kmemCacheFree : Applied.kfree).rawValue] += 1
    }

    /// The event of an object placed where the trace says, as memtop's own allocators record theirs
    /// (the log, the call-site report and `--events-out` see traced objects like simulated ones).
    mutating func recordAllocation(_ ours: VirtualAddress, cache: CacheID, requested: Int, site: CallSite, _ d: DecodedLine,
                                   on machine: inout Machine) {
        guard machine.events.isRecording else { return }
        if d.event == .kmalloc {
            machine.record(.objectAllocated(ptr: ours, bytesReq: requested, bytesAlloc: machine.slotSize(of: cache), gfp: d.flags, cache: cache, site: site))
        } else {
            machine.record(.cacheObjectAllocated(ptr: ours, cache: cache, gfp: d.flags, site: site))
        }
    }

    /// Moves the slab holding `ours` to the cache a free named; a slab claimed before its cache was
    /// known existed before tracing, so it takes the place of one of that cache's rebuilt slabs.
    mutating func moveToNamedCache(_ ours: VirtualAddress, _ named: CacheID, on machine: inout Machine) {
        machine.moveSlab(holding: ours, to: named)
        if let head = slabHead(ours, machine), slabsBeforeTracing.remove(head) != nil {
            machine.mergeReconstructedSlab(of: named, into: ours)
        }
    }

    /// A call site allocates from one cache (`kmem_cache_alloc(cachep, ...)` names it): the first
    /// named free of one of its objects tells which, and the slabs a provisional cache of the same
    /// sizes holds for that site move there. A site seen with two caches (a helper such as
    /// `mempool_alloc` serving several) tells nothing.
    mutating func learnSite(_ site: CallSite, cache: CacheID, on machine: inout Machine) {
        guard site != .unknown else { return }
        guard siteCaches.note(site, cache: cache) else { return }
        for provisional in unnamed where provisional != cache && machine.slotSize(of: provisional) == machine.slotSize(of: cache) {
            for address in machine.slabAddresses(of: provisional, allocatedAt: site) { moveToNamedCache(address, cache, on: &machine) }
        }
    }

    /// A free of an object memtop does not have: it was allocated before tracing. When the machine
    /// was rebuilt from a capture, its slab is one of the rebuilt ones: the cache's rebuilt slab
    /// moves to the object's page (or, already there, one of its objects moves to this slot).
    /// - Returns: whether the object is now live in memtop, ready to be freed.
    mutating func reviveUnknownObject(_ ours: VirtualAddress, _ d: DecodedLine, _ bytes: UnsafeBufferPointer<UInt8>,
                                      on machine: inout Machine) -> Bool {
        guard hasReconstructedState else { return false }
        var cache: CacheID?
        if let pfn = ours.directMapFrame, case .slab(let c) = machine.owner(of: pfn) { cache = c }
        if d.event == .kmemCacheFree, let name = cacheName(d, bytes), let named = cachesByName[name] ?? machine.cache(named: name)?.id {
            if cache != named, !machine.moveReconstructedSlab(of: named, toCover: ours) { return false }
            cache = named
        }
        guard cache != nil, machine.markObjectLive(at: ours) else { return false }
        tally.placement.revivedObjects += 1
        return true
    }

    /// Counts a free memtop could not match: an object from before tracing, or, at a free slot of
    /// a slab the trace placed (so made while tracing), one allocated with no event (in bulk).
    mutating func countUnmatchedFree(_ ours: VirtualAddress, _ machine: Machine) {
        if let loc = machine.locateObject(ours), !loc.inUse, loc.start == ours,
           let head = slabHead(ours, machine), machine.placement(of: PageFrameNumber(head)) == .observed {
            tally.freesOfUntracedAllocations += 1
        } else {
            tally.freesOfUnknown += 1
        }
    }

    /// The first frame of the slab holding the object at `ours`.
    func slabHead(_ ours: VirtualAddress, _ machine: Machine) -> Int? {
        guard let loc = machine.locateObject(ours) else { return nil }
        let size = machine.slotSize(of: loc.cache)
        return VirtualAddress(loc.start.rawValue - UInt64(loc.slot * size)).directMapFrame?.rawValue
    }

    /// The cache called `name` with these sizes, created on first use.
    mutating func namedCache(_ name: String, objectSize: Int, slotSize: Int, on machine: inout Machine) -> CacheID? {
        if let id = cachesByName[name] { return id }
        if let existing = machine.cache(named: name), existing.geometry.size == slotSize {
            cachesByName[name] = existing.id
            unlearnedCaches = PointerMap(filler: CacheID(rawValue: 0))
            return existing.id
        }
        guard let id = machine.createCache(name: name, objectSize: objectSize, size: slotSize, align: 8) else { return nil }
        cachesByName[name] = id
        unlearnedCaches = PointerMap(filler: CacheID(rawValue: 0))
        return id
    }

    /// Learns the direct map's base from an object that follows its CPU's slab page allocation.
    mutating func noteObject(_ d: DecodedLine) {
        guard directMap.base == nil, let page = recentKernelPage[d.cpu] else { return }
        directMap.learn(object: d.address, block: page.pfn, order: page.order)
    }

    /// The text of field `key` of the line, if it has one.
    /// A cache free's `name=`: the decoder's range when it read one (interned by its hash, so a
    /// free costs a lookup), else the line read again.
    mutating func cacheName(_ d: DecodedLine, _ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard d.nameEnd > d.nameStart else { return fieldText("name", bytes) }
        if let name = cacheNames[d.nameHash] { return name }
        let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(d.nameStart)..<Int(d.nameEnd)]), as: UTF8.self)
        // Bounded: names past the bound are read each time, not kept.
        if cacheNames.count < 1 << 14 { cacheNames[d.nameHash] = name }
        return name
    }

    func fieldText(_ key: StaticString, _ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        var l = ByteLine(bytes)
        guard l.parse() == .event, let r = l.field(key) else { return nil }
        return l.text(r)
    }
}
