/// What one call site holds now: its live slab objects (and in which caches), large kmalloc blocks
/// and vmalloc areas, as the viewer's call-site table lists them.
public struct CallSiteUsage: Hashable, Sendable {
    /// The site.
    public let site: CallSite
    /// Live allocations: slab objects, large kmallocs and vmalloc areas.
    public var objects = 0
    /// Bytes they occupy: slot sizes, whole page blocks, area pages.
    public var bytes = 0
    /// Live objects per cache (`pages` for large kmalloc, `vmalloc` for areas).
    public var caches: [String: Int] = [:]

    /// A site with nothing yet.
    public init(site: CallSite) { self.site = site }

    /// The caches it uses, the most used first.
    public var cacheNames: [String] { caches.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map(\.key) }
}

extension Machine {
    /// Every call site with live allocations.
    /// - Complexity: O(slots + large allocations + vmalloc areas).
    public func callSiteUsage() -> [CallSite: CallSiteUsage] {
        var out: [CallSite: CallSiteUsage] = [:]
        func add(_ site: CallSite, _ bytes: Int, _ where_: String) {
            var u = out[site] ?? CallSiteUsage(site: site)
            u.objects += 1
            u.bytes += bytes
            u.caches[where_, default: 0] += 1
            out[site] = u
        }
        let discarded = Set(freeSlabIndices)
        for (i, slab) in slabs.enumerated() where !discarded.contains(Int32(i)) && slab.inUse > 0 {
            let cache = caches[Int(slab.cache.rawValue)]
            for k in 0..<Int(slab.objects) where !slots[Int(slab.slotBase) + k].isFree {
                add(CallSite(rawValue: slots[Int(slab.slotBase) + k].allocSite), cache.geometry.size, cache.name)
            }
        }
        for (address, info) in largeAllocations {
            let order = VirtualAddress(address).directMapFrame.flatMap { blockOrder(at: $0) } ?? Page.order(forBytes: info.requested)
            add(info.allocSite, Page.size << order, "pages")
        }
        for area in vmap.areas where !area.isLazilyFreed { add(area.caller, area.pages.count * Page.size, "vmalloc") }
        return out
    }

    /// The frames holding what `site` allocated: its slabs' pages, large kmalloc blocks and
    /// vmalloc pages, for the page map to highlight.
    public func frames(allocatedBy site: CallSite) -> [PageFrameNumber] {
        var out: [PageFrameNumber] = []
        let discarded = Set(freeSlabIndices)
        for (i, slab) in slabs.enumerated() where !discarded.contains(Int32(i)) && slab.inUse > 0 {
            let holds = (0..<Int(slab.objects)).contains {
                let slot = slots[Int(slab.slotBase) + $0]
                return !slot.isFree && slot.allocSite == site.rawValue
            }
            if holds { out += PageFrameNumber(Int(slab.pfn))..<PageFrameNumber(Int(slab.pfn) + (1 << Int(slab.order))) }
        }
        for (address, info) in largeAllocations where info.allocSite == site {
            guard let pfn = VirtualAddress(address).directMapFrame, let order = blockOrder(at: pfn) else { continue }
            out += pfn..<pfn.advanced(by: 1 << order)
        }
        for area in vmap.areas where !area.isLazilyFreed && area.caller == site { out += area.pages.map { PageFrameNumber(Int($0)) } }
        return out
    }
}
