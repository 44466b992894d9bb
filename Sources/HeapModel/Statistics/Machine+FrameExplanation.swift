extension Machine {
    /// What the inspector says about frame `pfn`, beyond ``describeFrame(_:)``: who decided where it
    /// lies, and its owner's details: a slab page's objects (offset, state, size asked, call site),
    /// a large kmalloc's request and caller, a vmalloc page's area and caller.
    public func explainFrame(_ frame: PageFrameNumber) -> [String] {
        let pfn = frame.rawValue
        guard pfn >= 0 && pfn < endPFN else { return [] }
        var out: [String] = []
        switch placement(of: PageFrameNumber(pfn)) {
        case .observed: out.append("placed by the trace: the kernel put it here")
        case .reconstructed: out.append("rebuilt from the capture's /proc counts: its place is memtop's guess")
        case .simulated: out.append("placed by memtop's allocators")
        }
        switch frames[pfn].owner {
        case .slab: out += slabObjects(onFrame: pfn)
        case .largeKmalloc:
            if let head = largeKmallocHead(pfn), let info = largeAllocations[VirtualAddress.directMap(head).rawValue] {
                out.append("large kmalloc at \(VirtualAddress.directMap(head)): asked \(info.requested) bytes, by \(name(of: info.allocSite))")
            }
        case .vmalloc:
            if let area = vmap.areas.first(where: { $0.pages.contains(Int32(pfn)) }) {
                let k = area.pages.firstIndex(of: Int32(pfn)) ?? 0
                out.append("page \(k + 1) of \(area.pages.count) of the vmalloc area \(area.start), "
                           + "\(area.requested) bytes, by \(name(of: area.caller))" + (area.isLazilyFreed ? " (freed, awaiting purge)" : ""))
            }
        default: break
        }
        // A trace with call chains (perf script -g) shows how the page's owners got there.
        if !callStacks.isEmpty {
            for site in sites(onFrame: pfn).prefix(2) { out += callChainLines(of: site, maxFrames: 6) }
        }
        return out
    }

    /// The call sites of what frame `pfn` holds: its slab's live objects on it (first seen first),
    /// its large kmalloc's or its vmalloc area's caller.
    func sites(onFrame pfn: Int) -> [CallSite] {
        switch frames[pfn].owner {
        case .slab:
            let s = slabOfFrame[pfn]
            guard s >= 0 else { return [] }
            let slab = slabs[Int(s)]
            let size = caches[Int(slab.cache.rawValue)].geometry.size
            let pageStart = (pfn - Int(slab.pfn)) * Page.size
            var seen: [CallSite] = []
            for k in 0..<Int(slab.objects) where k * size + size > pageStart && k * size < pageStart + Page.size {
                let slot = slots[Int(slab.slotBase) + k]
                let site = CallSite(rawValue: slot.allocSite)
                if !slot.isFree && !seen.contains(site) { seen.append(site) }
            }
            return seen
        case .largeKmalloc:
            guard let head = largeKmallocHead(pfn), let info = largeAllocations[VirtualAddress.directMap(head).rawValue] else { return [] }
            return [info.allocSite]
        case .vmalloc:
            return vmap.areas.first { $0.pages.contains(Int32(pfn)) }.map { [$0.caller] } ?? []
        default:
            return []
        }
    }

    /// The objects of the slab holding frame `pfn` that lie on that frame, one line each.
    func slabObjects(onFrame pfn: Int) -> [String] {
        let s = slabOfFrame[pfn]
        guard s >= 0 else { return [] }
        let slab = slabs[Int(s)]
        let cache = caches[Int(slab.cache.rawValue)]
        let size = cache.geometry.size
        let pageStart = (pfn - Int(slab.pfn)) * Page.size
        var out = ["\(cache.name): \(slab.inUse) of \(slab.objects) objects in use; on this page:"]
        for k in 0..<Int(slab.objects) where k * size + size > pageStart && k * size < pageStart + Page.size {
            let slot = slots[Int(slab.slotBase) + k]
            let offset = String(k * size - pageStart, radix: 16)
            let state = slot.isFree
                ? "free" + (slot.freeSite != 0 ? ", freed by \(name(of: CallSite(rawValue: slot.freeSite)))" : "")
                : "\(slot.requested) B by \(name(of: CallSite(rawValue: slot.allocSite)))"
            out.append("  +0x\(offset) \(state)")
        }
        return out
    }

    /// The first frame of the large kmalloc block holding `pfn`.
    func largeKmallocHead(_ pfn: Int) -> PageFrameNumber? {
        var p = pfn
        while p >= 0 && frames[p].owner == .largeKmalloc {
            if largeAllocations[VirtualAddress.directMap(PageFrameNumber(p)).rawValue] != nil { return PageFrameNumber(p) }
            p -= 1
        }
        return nil
    }
}
