/// What the page map shows for one frame: its owner, with the order of the free block it is in.
public enum PageClass: Hashable, Sendable {
    /// No RAM.
    case absent
    /// Reserved at boot.
    case reserved
    /// In a free buddy block of this order.
    case free(order: Int)
    /// Plain `alloc_pages` (page tables, other).
    case pages
    /// A slab of this cache.
    case slab(CacheID)
    /// A large kmalloc.
    case largeKmalloc
    /// A vmalloc backing page.
    case vmalloc
    /// A page the simulation did not allocate itself (page cache, user pages from a trace).
    case outside

    /// A small number for "which class wins" comparisons: allocated beats free beats reserved.
    package var weight: Int {
        switch self {
        case .absent: return 0
        case .reserved: return 1
        case .free: return 2
        default: return 3
        }
    }
}

extension Machine {
    /// The class of every frame in `range`.
    /// - Complexity: O(range.count).
    public func pageClasses(in range: Range<PageFrameNumber>) -> [PageClass] {
        let r = range.rawValues.clamped(to: 0..<endPFN)
        var out = [PageClass](repeating: .absent, count: r.count)
        var pfn = r.lowerBound
        // A free block may start before the range: find the head covering the first frame.
        if pfn < r.upperBound, frames[pfn].owner == .free, frames[pfn].order < 0 {
            for o in 1...Page.maxOrder {
                let head = pfn & ~((1 << o) - 1)
                if frames[head].owner == .free && Int(frames[head].order) >= o {
                    let end = min(head + (1 << Int(frames[head].order)), r.upperBound)
                    for i in pfn..<end { out[i - r.lowerBound] = .free(order: Int(frames[head].order)) }
                    pfn = end
                    break
                }
            }
        }
        while pfn < r.upperBound {
            let f = frames[pfn]
            switch f.owner {
            case .free where f.order >= 0:
                let end = min(pfn + (1 << Int(f.order)), r.upperBound)
                for i in pfn..<end { out[i - r.lowerBound] = .free(order: Int(f.order)) }
                pfn = end
                continue
            case .free, .perCPU: out[pfn - r.lowerBound] = .free(order: 0)
            case .absent: out[pfn - r.lowerBound] = .absent
            case .reserved: out[pfn - r.lowerBound] = .reserved
            case .pages: out[pfn - r.lowerBound] = .pages
            case .slab(let c): out[pfn - r.lowerBound] = .slab(c)
            case .largeKmalloc: out[pfn - r.lowerBound] = .largeKmalloc
            case .vmalloc: out[pfn - r.lowerBound] = .vmalloc
            case .outside: out[pfn - r.lowerBound] = .outside
            }
            pfn += 1
        }
        return out
    }

    /// One class per group of `pagesPerPixel` frames from `first`: the most frequent class of the
    /// group, allocated classes winning ties (a mostly free group with one slab page shows the slab).
    public func pageMapPixels(from first: PageFrameNumber, pixels: Int, pagesPerPixel: Int) -> [PageClass] {
        let start = first.rawValue
        let per = max(1, pagesPerPixel)
        var out = [PageClass](repeating: .absent, count: pixels)
        // Walk the frames once, counting by a small index instead of hashing classes: absent,
        // reserved, free by order (11), pages, slab, large kmalloc, vmalloc, outside.
        var freeEnd = -1, freeOrder = 0
        if start > 0 && start < endPFN && frames[start].owner == .free && frames[start].order < 0 {
            for o in 1...Page.maxOrder {
                let head = start & ~((1 << o) - 1)
                if frames[head].owner == .free && Int(frames[head].order) >= o {
                    freeOrder = Int(frames[head].order)
                    freeEnd = head + (1 << freeOrder)
                    break
                }
            }
        }
        var counts = [Int](repeating: 0, count: 18)
        var pfn = start
        for p in 0..<pixels {
            guard pfn < endPFN else { break }
            for k in 0..<counts.count { counts[k] = 0 }
            var slab: CacheID?
            let end = min(endPFN, pfn + per)
            while pfn < end {
                let f = frames[pfn]
                switch f.owner {
                case .absent: counts[0] += 1
                case .reserved: counts[1] += 1
                case .free:
                    if f.order >= 0 { freeOrder = Int(f.order); freeEnd = pfn + (1 << freeOrder) }
                    counts[2 + (pfn < freeEnd ? min(freeOrder, 10) : 0)] += 1
                case .perCPU: counts[2] += 1
                case .pages: counts[13] += 1
                case .slab(let c): counts[14] += 1; if slab == nil { slab = c }
                case .largeKmalloc: counts[15] += 1
                case .vmalloc: counts[16] += 1
                case .outside: counts[17] += 1
                }
                pfn += 1
            }
            // The most frequent class wins; ties go to allocated classes.
            var best = 0
            for k in 1..<counts.count where counts[k] > counts[best] || (counts[k] == counts[best] && counts[k] > 0 && k >= 13) { best = k }
            switch best {
            case 0: out[p] = .absent
            case 1: out[p] = .reserved
            case 2...12: out[p] = .free(order: best - 2)
            case 13: out[p] = .pages
            case 14: out[p] = slab.map { .slab($0) } ?? .pages
            case 15: out[p] = .largeKmalloc
            case 16: out[p] = .vmalloc
            default: out[p] = .outside
            }
        }
        return out
    }

    /// A one-line description of frame `pfn` for the page map's cursor: what the frame is first
    /// (owner, and for a slab its cache and objects in use), then in parentheses where it is (pfn,
    /// zone, pageblock type), so that a narrow panel drops the place before the state.
    public func describeFrame(_ frame: PageFrameNumber) -> String {
        let pfn = frame.rawValue
        guard pfn >= 0 && pfn < endPFN else { return "pfn \(hex(pfn)): no such frame" }
        let zone = self.zone(containing: PageFrameNumber(pfn)).map { "\($0)" } ?? "-"
        let cls = pageClasses(in: frame..<frame.advanced(by: 1)).first ?? .absent
        let place = " (pfn \(hex(pfn)) \(zone), \(pageblockType[pfn >> Page.pageblockOrder]) pageblock)"
        var text = ""
        switch cls {
        case .absent: text += "no RAM"
        case .reserved: text += "reserved at boot"
        case .free(let order):
            text += frames[pfn].owner == .perCPU ? "free, on a per-CPU page list" : "free, in an order-\(order) block"
        case .pages: text += "alloc_pages"
        case .slab(let c):
            let cache = caches[Int(c.rawValue)]
            let s = slabOfFrame[pfn]
            if s >= 0 {
                let slab = slabs[Int(s)]
                text += "slab of \(cache.name), \(slab.inUse)/\(slab.objects) objects in use, order \(slab.order)"
            } else {
                text += "slab of \(cache.name)"
            }
        case .largeKmalloc: text += "large kmalloc"
        case .vmalloc: text += "vmalloc backing page"
        case .outside: text += "outside: page cache or user"
        }
        return text + place
    }
}
