import Allocators
import HeapModel

extension FtraceReplayer {
    /// Replays one event whose fields were read without error.
    mutating func replay(_ d: DecodedLine, bytes: UnsafeBufferPointer<UInt8>, on machine: inout Machine) {
        switch d.event {
        case .kmemCacheAlloc, .kmemCacheAllocNode:
            if placesAsTraced { placeCacheAlloc(d, bytes: bytes, on: &machine) } else { replayCacheAlloc(d, bytes: bytes, on: &machine) }
        case .kmalloc, .kmallocNode:
            if placesAsTraced { placeKmalloc(d, bytes: bytes, on: &machine) } else { replayKmalloc(d, bytes: bytes, on: &machine) }
        case .kfree, .kmemCacheFree:
            if placesAsTraced { placeFree(d, bytes: bytes, on: &machine) } else { replayFree(d, bytes: bytes, on: &machine) }
        case .mmPageAlloc, .mmPageFree, .mmPageFreeBatched:
            if placesAsTraced { placePages(d, on: &machine) } else { replayPages(d, on: &machine) }
        case .kpVmalloc, .kpAllocVmapArea, .allocVmapArea, .kpVmallocRet, .kpVunmapCore, .freeVmapAreaNoflush, .kpFreeVmapAreaNoflush:
            replayVmalloc(d, bytes: bytes, on: &machine)
        case .kpVfree, .kpVfreeAtomic, .kpVunmap, .kpAllocVmapAreaRet, .kpPurgeVmapAreaLazy,
             .kpVmap, .kpVmapRet, .purgeVmapAreaLazy:
            break
        }
    }

    /// The CPU a line ran on, as one of the machine's.
    func cpu(_ d: DecodedLine, _ machine: Machine) -> Int {
        let cpus = machine.configuration.cpus
        return d.cpu >= 0 && d.cpu < cpus ? d.cpu : max(0, d.cpu) % cpus   // no division for a CPU the machine has
    }

    /// `kmem_cache_alloc`: an object of the named cache the line's sizes pick.
    mutating func replayCacheAlloc(_ d: DecodedLine, bytes: UnsafeBufferPointer<UInt8>, on machine: inout Machine) {
        let (req, realAlloc) = (d.a, d.b)
        guard let cache = cacheFor(objectSize: req, slotSize: realAlloc, bytes: bytes, in: &machine) else {
            simulationFailed(d.line, "kmem_cache_alloc of \(req)/\(realAlloc) bytes: no cache of those sizes")
            return
        }
        guard let ours = KmemCache.alloc(cache, flags: d.flags, site: site(d, bytes, &machine), cpu: cpu(d, machine), in: &machine) else {
            simulationFailed(d.line, "kmem_cache_alloc from \(machine.cache(cache).name): memtop could not allocate")
            return
        }
        if let old = objects.updateValue(ours, forKey: d.address) { Kmalloc.kfree(old, in: &machine) }
        appliedCounts[Applied.kmemCacheAlloc.rawValue] += 1
        if check != nil {
            check!.compare("kmem_cache_alloc bytes_alloc", line: d.line, real: realAlloc, ours: machine.slotSize(of: cache),
                           what: "\(machine.cache(cache).name): ")
        }
    }

    /// `kmalloc`: Kmalloc with the line's `bytes_req` and flags; the check compares the size class.
    mutating func replayKmalloc(_ d: DecodedLine, bytes: UnsafeBufferPointer<UInt8>, on machine: inout Machine) {
        let (req, realAlloc) = (d.a, d.b)
        guard let ours = Kmalloc.kmalloc(req, flags: d.flags, site: site(d, bytes, &machine), cpu: cpu(d, machine), in: &machine) else {
            simulationFailed(d.line, "kmalloc(\(req)): memtop could not allocate")
            return
        }
        if let old = objects.updateValue(ours, forKey: d.address) { Kmalloc.kfree(old, in: &machine) }
        appliedCounts[Applied.kmalloc.rawValue] += 1
        guard check != nil else { return }
        let ourAlloc = Kmalloc.ksize(ours, in: machine) ?? 0
        if realAlloc > KmallocSizes.maxCacheSize || ourAlloc > KmallocSizes.maxCacheSize {
            check!.compare("large kmalloc order", line: d.line, real: Page.order(forBytes: realAlloc),
                           ours: Page.order(forBytes: max(ourAlloc, 1)), what: "kmalloc(\(req)): ")
        } else {
            check!.compare("kmalloc bytes_alloc", line: d.line, real: realAlloc, ours: ourAlloc, what: "kmalloc(\(req)): ")
        }
    }

    /// `kfree` and `kmem_cache_free`; a cache free names a cache created without a name.
    mutating func replayFree(_ d: DecodedLine, bytes: UnsafeBufferPointer<UInt8>, on machine: inout Machine) {
        guard let ours = objects.removeValue(forKey: d.address) else { tally.freesOfUnknown += 1; return }
        let isCacheFree = d.event == .kmemCacheFree
        if isCacheFree, !unnamed.isEmpty, let loc = machine.locateObject(ours), unnamed.contains(loc.cache) {
            // The decoder's name= when it read one, else the line read again (cacheName(_:_:) decides).
            if let name = cacheName(d, bytes) {
                machine.renameCache(loc.cache, to: name)
                unnamed.remove(loc.cache)
            }
        }
        if Kmalloc.kfree(ours, site: site(d, bytes, &machine), in: &machine) != nil { tally.violations += 1 }
        appliedCounts[(isCacheFree ? Applied.kmemCacheFree : Applied.kfree).rawValue] += 1
    }

    /// The named cache of a `kmem_cache_alloc` line's object and slot sizes, created on first use.
    mutating func cacheFor(objectSize: Int, slotSize: Int, bytes: UnsafeBufferPointer<UInt8>, in machine: inout Machine) -> CacheID? {
        let key = UInt64(objectSize) << 32 | UInt64(slotSize)
        if let id = namedCaches[key] { return id }
        var l = ByteLine(bytes)
        let name = l.parse() == .event ? l.field("name").map { l.text($0) } : nil
        guard let id = machine.createCache(name: name ?? "cache-\(objectSize)-\(slotSize)", objectSize: objectSize,
                                           size: slotSize, align: 8) else { return nil }
        if name == nil { unnamed.insert(id) }
        namedCaches.updateValue(id, forKey: key)
        return id
    }
}
