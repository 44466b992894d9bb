/// Allocation reports: per call site (as `perf kmem stat --caller` tabulates them), per cache
/// internal fragmentation, and the violations found.
public struct AllocationReport: Sendable {
    /// Totals for one call site.
    public struct SiteTotals: Hashable, Sendable {
        /// Allocations.
        public var count = 0
        /// Bytes asked for.
        public var requested = 0
        /// Bytes handed out (class or slot sizes, whole pages for large kmalloc).
        public var allocated = 0
        /// The share of allocated bytes not asked for, in percent.
        public var wastePercent: Double { allocated == 0 ? 0 : Double(allocated - requested) * 100 / Double(allocated) }
    }

    /// Totals by call site.
    public var sites: [CallSite: SiteTotals] {
        var out: [CallSite: SiteTotals] = [:]
        for (i, t) in totals.enumerated() where t.count > 0 { out[CallSite(rawValue: UInt32(i))] = t }
        return out
    }
    /// Totals indexed by the site's raw value (sites are dense interned ids; a lookup per event
    /// must not hash).
    private var totals: [SiteTotals] = []
    /// Violations, in order.
    public private(set) var violations: [ContractViolation] = []
    /// Page allocation failures that warned.
    public private(set) var failures = 0

    /// An empty report.
    public init() {}

    /// Adds what `events` show.
    public mutating func absorb(_ events: [HeapEvent], in machine: Machine) {
        for e in events { absorb(e.kind, caches: machine.caches) }
    }

    /// Adds what one event shows; `caches` are the machine's (for a cache allocation's sizes).
    mutating func absorb(_ kind: HeapEvent.Kind, caches: [SlabCache]) {
        switch kind {
        case let .objectAllocated(ptr, req, alloc, _, _, site) where ptr != .null:
            // A failed kmalloc (ptr=0) is traced but allocates nothing.
            add(site, requested: req, allocated: alloc)
        case let .cacheObjectAllocated(_, cache, _, site):
            let c = Int(cache.rawValue)
            add(site, requested: caches[c].objectSize, allocated: caches[c].geometry.size)
        case let .areaAllocated(_, size, _, req, _, site):
            add(site, requested: req, allocated: size - Page.size)
        case .contractViolated(let v): violations.append(v)
        case .allocationFailed(_, _, _, true), .pageAllocationFailed(_, _, true): failures += 1
        default: break
        }
    }

    /// Adds the allocations `events` show, and nothing else (no violations kept): the viewer's
    /// cumulative counts per call site, bounded by the number of sites.
    public mutating func countSites(_ events: [HeapEvent], in machine: Machine) {
        for e in events {
            switch e.kind {
            case let .objectAllocated(ptr, req, alloc, _, _, site) where ptr != .null: add(site, requested: req, allocated: alloc)
            case let .cacheObjectAllocated(_, cache, _, site):
                add(site, requested: machine.objectSize(of: cache), allocated: machine.slotSize(of: cache))
            case let .areaAllocated(_, size, _, req, _, site): add(site, requested: req, allocated: size - Page.size)
            default: break
            }
        }
    }

    private mutating func add(_ site: CallSite, requested: Int, allocated: Int) {
        let i = Int(site.rawValue)
        if i >= totals.count { totals.append(contentsOf: repeatElement(SiteTotals(), count: i + 1 - totals.count)) }
        totals[i].count += 1
        totals[i].requested += requested
        totals[i].allocated += allocated
    }

    /// The sites with their names and totals, largest allocated bytes first, equal totals by name
    /// (so that every run lists them in the same order).
    public func rankedSites(_ machine: Machine) -> [(site: CallSite, name: String, totals: SiteTotals)] {
        sites.map { (site: $0.key, name: machine.name(of: $0.key), totals: $0.value) }.sorted {
            $0.totals.allocated != $1.totals.allocated ? $0.totals.allocated > $1.totals.allocated : $0.name < $1.name
        }
    }

    /// The call-site table, in ``rankedSites(_:)`` order.
    public func siteTable(_ machine: Machine, limit: Int = 20) -> String {
        var out = " Callsite                                 |     Hit |   Total_req |  Total_alloc |  Frag\n"
        out += String(repeating: "-", count: 88) + "\n"
        for (_, name, t) in rankedSites(machine).prefix(limit) {
            let frag = Int((t.wastePercent * 1000).rounded())
            out += " " + padRight(String(name.prefix(40)), 40) + " | " + pad(String(t.count), 7) + " | "
                + pad(String(t.requested), 11) + " | " + pad(String(t.allocated), 12) + " | "
                + pad("\(frag / 1000).\(zeroPad(frag % 1000, 3))%", 8) + "\n"
        }
        return out
    }

    /// The violations, one report each.
    public var violationText: String {
        violations.isEmpty ? "no contract violations\n" : violations.map(\.report).joined(separator: "\n") + "\n"
    }
}

extension Machine {
    /// Internal fragmentation of one cache's live objects.
    public struct CacheWaste: Hashable, Sendable {
        /// The cache.
        public let name: String
        /// Objects in use.
        public let objects: Int
        /// Bytes their callers asked for.
        public let requested: Int
        /// Bytes of the slots they occupy.
        public let slotBytes: Int
        /// Bytes of the cache's slabs (pages), used or not.
        public let slabBytes: Int
    }

    /// Per cache: live objects, the bytes asked for, the slot bytes and the slab bytes.
    /// - Complexity: O(slots).
    public func cacheWaste() -> [CacheWaste] {
        var requested = [Int](repeating: 0, count: caches.count)
        let discarded = Set(freeSlabIndices)
        for (i, slab) in slabs.enumerated() where !discarded.contains(Int32(i)) {
            for k in 0..<Int(slab.objects) where !slots[Int(slab.slotBase) + k].isFree {
                requested[Int(slab.cache.rawValue)] += Int(slots[Int(slab.slotBase) + k].requested)
            }
        }
        return caches.enumerated().compactMap { i, c in
            guard c.objectsInUse > 0 else { return nil }
            return CacheWaste(name: c.name, objects: c.objectsInUse, requested: requested[i], slotBytes: c.objectsInUse * c.geometry.size,
                              slabBytes: c.slabPages * Page.size)
        }
    }

    /// The per-cache table: objects, requested, slot and slab bytes, internal waste (slots not
    /// asked for) and slab use (slots in use over slab bytes).
    public func cacheWasteTable() -> String {
        var out = " Cache                  |  Objects |   Requested |   Slot bytes |   Slab bytes | Waste | Slab use\n"
        out += String(repeating: "-", count: 98) + "\n"
        for w in cacheWaste().sorted(by: { ($0.slotBytes - $0.requested, $1.name) > ($1.slotBytes - $1.requested, $0.name) }) {
            let waste = w.slotBytes == 0 ? 0 : (w.slotBytes - w.requested) * 100 / w.slotBytes
            let use = w.slabBytes == 0 ? 0 : w.slotBytes * 100 / w.slabBytes
            out += " " + padRight(String(w.name.prefix(22)), 22) + " | " + pad(String(w.objects), 8) + " | " + pad(String(w.requested), 11)
                + " | " + pad(String(w.slotBytes), 12) + " | " + pad(String(w.slabBytes), 12) + " | " + pad("\(waste)%", 5)
                + " | " + pad("\(use)%", 8) + "\n"
        }
        return out
    }
}
