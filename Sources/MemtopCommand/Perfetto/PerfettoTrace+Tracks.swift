import HeapModel

extension PerfettoTrace {
    /// The `args` keys of a zone's free-pages track: one per order.
    static let orderKeys = (0..<Page.orderCount).map { "order \($0)" }

    /// The counter tracks' names and keys, as written (for documentation and tests):
    /// `ZONE free pages` (`order 0` … `order 10`, pages in free blocks of that order),
    /// `ZONE per-CPU pages` (`pages`), `slab CACHE` (`objects`, `pages`), `vmalloc` (`pages`,
    /// `areas`) and `large kmalloc` (`pages`).
    static func freePagesTrack(_ zone: ZoneKind) -> String { "\(zone.description) free pages" }

    /// The per-CPU lists' track of `zone`.
    static func perCPUTrack(_ zone: ZoneKind) -> String { "\(zone.description) per-CPU pages" }

    /// Writes the counters whose values changed, all at `ts`.
    mutating func sampleCounters(_ machine: Machine, ts: String) {
        for zone in machine.populatedZones {
            let free = zone.nrFree.enumerated().map { $0.element << $0.offset }
            counter(Self.freePagesTrack(zone.kind), keys: Self.orderKeys, values: free, ts: ts)
            counter(Self.perCPUTrack(zone.kind), keys: ["pages"], values: [machine.perCPUPageCount(zone: zone.kind)], ts: ts)
        }
        let caches = machine.slabCaches
        trackTopCaches(caches)
        for (id, name) in cacheTracks {
            let cache = caches[Int(id.rawValue)]
            counter(name, keys: ["objects", "pages"], values: [cache.activeObjects, cache.slabPages], ts: ts)
        }
        let areas = machine.vmap.areas.reduce(0) { $0 + ($1.isLazilyFreed ? 0 : 1) }
        counter("vmalloc", keys: ["pages", "areas"], values: [machine.vmallocPages, areas], ts: ts)
        counter("large kmalloc", keys: ["pages"], values: [machine.largeKmallocPages], ts: ts)
    }

    /// Gives a track to each of the ``topCaches`` caches with the most slab pages that has none,
    /// while fewer than ``maxCacheTracks`` have one.
    /// - Complexity: O(caches) when every track is taken, else O(caches log caches).
    private mutating func trackTopCaches(_ caches: [SlabCache]) {
        guard cacheTracks.count < Self.maxCacheTracks else { return }
        let top = caches.filter { $0.slabPages > 0 }.sorted { $0.slabPages > $1.slabPages }.prefix(Self.topCaches)
        for cache in top where cacheTracks.count < Self.maxCacheTracks && !cacheTracks.contains(where: { $0.id == cache.id }) {
            var name = "slab \(cache.name)"
            if cacheTracks.contains(where: { $0.name == name }) { name += " #\(cache.id.rawValue)" }
            cacheTracks.append((cache.id, name))
        }
    }

    /// The instant event an event of the machine is marked with, if any: its name and `args` (JSON values).
    static func instant(for kind: HeapEvent.Kind) -> (String, [(String, String)])? {
        switch kind {
        case .pageAllocationFailed(let order, _, let warn):
            return ("page allocation failure", [("order", "\(order)"), ("warn", "\(warn)")])
        case .allocationFailed(let function, let size, _, let warn):
            return ("allocation failure: \(function)", [("size", "\(size)"), ("warn", "\(warn)")])
        case .contractViolated(let v):
            return ("violation: \(v.kind.rawValue)", [("function", jsonQuoted(v.function.description)), ("report", jsonQuoted(v.report))])
        case .badPageFree(let bad):
            return ("violation: bad_page", [("pfn", "\(bad.pfn.rawValue)"), ("order", "\(bad.order)")])
        default:
            return nil
        }
    }
}
