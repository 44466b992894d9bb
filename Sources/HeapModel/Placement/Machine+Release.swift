/// Returning blocks a trace frees, at the frames it names.
extension Machine {
    /// What a traced free found at its frames.
    public enum ReleaseOutcome: Hashable, Sendable {
        /// The block went back to the buddy lists.
        case freed
        /// The block went to the CPU's per-CPU list.
        case toPerCPU
        /// memtop held the frames as free already (its own decision or a reconstruction put the
        /// free memory elsewhere); nothing changed.
        case alreadyFree
        /// The frames are held by something memtop placed itself (a vmalloc page it chose); nothing changed.
        case heldByMemtop
        /// Not managed memory.
        case notManaged
    }

    /// Frees block `pfn` of 2^`order` frames as the trace says the kernel did: to `cpu`'s per-CPU
    /// list when the lists are on and the order is at most 3, else to the buddy lists. A part of a
    /// larger block is split off first (`split_page()`); a slab, large kmalloc or vmalloc page there
    /// is dropped with it.
    /// - Complexity: O(2^order).
    @discardableResult
    public mutating func releaseBlock(at pfn: PageFrameNumber, order blockOrder: Order, cpu: Int?, site: CallSite = .unknown) -> ReleaseOutcome {
        let start = pfn.rawValue, order = blockOrder.rawValue
        guard order >= 0, order <= Page.maxOrder, start >= 0, start <= endPFN - (1 << order) else { return .notManaged }
        switch frames[start].owner {
        case .absent, .reserved: return .notManaged
        case .free, .perCPU: return .alreadyFree
        default: break
        }
        guard let (head, blockOrder) = allocatedBlock(covering: start) else { return .alreadyFree }
        if frames[head].placement != .observed, case .vmalloc = frames[head].owner { return .heldByMemtop }
        if frames[head].placement == .reconstructed, case .slab = frames[head].owner {
            // A slab memtop rebuilt here by its own reckoning: the kernel freed something else that
            // lay here. The slab takes the place of a block of unknown used memory, which is what goes.
            guard moveReconstructedSlabAside(head, order: blockOrder) else { return .heldByMemtop }
        }
        let z = zoneIndex(of: start)
        // What the block held goes with its pages (a slab's objects, a large kmalloc's record); the
        // frames are then plain pages, of which the trace frees some or all.
        switch frames[head].owner {
        case .slab: dropSlab(at: head)
        case .largeKmalloc: largeAllocations[VirtualAddress.directMap(PageFrameNumber(head)).rawValue] = nil
        case .vmalloc: removePageOfVmapArea(head)
        default: break
        }
        if frames[head].owner != .outside { for i in head..<(head + (1 << blockOrder)) { frames[i].owner = .pages } }
        if head == start && blockOrder < order {
            releaseBeyondBlock(start, blockOrder: blockOrder, order: order, zone: z)
            return .freed
        }
        if head != start || blockOrder != order { splitAllocated(head, order: blockOrder, into: order) }
        recordUntallied(.pagesFreed(pfn: pfn, order: Order(order), zone: ZoneKind(rawValue: z) ?? .normal))
        if freesToPerCPU(start, order: order, cpu: cpu), let cpu {
            freeToPerCPU(start, order: order, zone: z, cpu: cpu)
            updateLevel(zone: z)
            return .toPerCPU
        }
        freeBlock(start, order: order, zone: z, toTail: false, recordEvents: true)
        updateLevel(zone: z)
        return .freed
    }

    /// The kernel freed more than memtop's block at `start`: the rest of the range (other blocks
    /// memtop decided, reconstructed or was told of, moved reservations) is cleared as for a
    /// placement, then memtop's block is freed and merges with it.
    mutating func releaseBeyondBlock(_ start: Int, blockOrder: Int, order: Int, zone z: Int) {
        let pfn = PageFrameNumber(start)
        var report = PlacementReport()
        var i = start + (1 << blockOrder)
        while i < start + (1 << order) {
            switch frames[i].owner {
            case .pages, .outside:
                // Used memory of unknown owner, or outside pages: the kernel freed it.
                let span = allocatedBlock(covering: i).map { $0.0 == i ? 1 << $0.1 : 1 } ?? 1
                for f in i..<(i + span) { frames[f].owner = .pages }
                if span > 1 { splitAllocated(i, order: Int(frames[i].order), into: 0) }
                for f in i..<(i + span) { freeBlock(f, order: 0, zone: z, toTail: false, recordEvents: false) }
                i += span
            default:
                // Free, per-CPU, structured (slab, large kmalloc, vmalloc) or a moved reservation.
                clearForPlacement(i..<(i + 1), zone: z, report: &report)
                i += 1
            }
        }
        recordUntallied(.pagesFreed(pfn: pfn, order: Order(order), zone: ZoneKind(rawValue: z) ?? .normal))
        freeBlock(start, order: blockOrder, zone: z, toTail: false, recordEvents: true)
        updateLevel(zone: z)
    }

    /// `split_page()`: an allocated block of `order` at `head` becomes blocks of `smaller` order with
    /// the same owner, so that one of them can be freed alone.
    mutating func splitAllocated(_ head: Int, order: Int, into smaller: Int) {
        guard smaller < order else { return }
        for k in stride(from: head, to: head + (1 << order), by: 1 << smaller) { frames[k].order = Int8(smaller) }
        for k in head..<(head + (1 << order)) where (k - head) % (1 << smaller) != 0 { frames[k].order = -1 }
    }

    /// A block memtop reconstructed as allocated (of unknown owner) of exactly `order`, if any: when
    /// a trace frees frames memtop holds as free, memory it rebuilt as used somewhere else must be
    /// what was really free, so that block is freed instead and the free-page count stays right.
    /// - Complexity: O(frames) in the worst case; callers keep a hint.
    public func reconstructedBlock(order blockOrder: Order, from hint: PageFrameNumber = PageFrameNumber(0)) -> PageFrameNumber? {
        reconstructedBlock(order: blockOrder, from: hint, before: endPFN)
    }

    /// ``reconstructedBlock(order:from:)`` among the blocks starting below frame `end`.
    func reconstructedBlock(order blockOrder: Order, from hint: PageFrameNumber, before end: Int) -> PageFrameNumber? {
        let order = blockOrder.rawValue
        var pfn = max(0, hint.rawValue) & ~((1 << order) - 1)
        while pfn < min(end, endPFN) {
            if frames[pfn].placement == .reconstructed, frames[pfn].owner == .pages, Int(frames[pfn].order) == order {
                return PageFrameNumber(pfn)
            }
            pfn += 1 << order
        }
        return nil
    }

    /// Moves the rebuilt slab at `head` onto a block of unknown used memory of the same order
    /// (which it replaces), leaving its own frames as unknown used memory.
    /// - Returns: false when no such block is left.
    mutating func moveReconstructedSlabAside(_ head: Int, order: Int) -> Bool {
        guard let target = reconstructedBlock(order: Order(order))?.rawValue else { return false }
        let s = slabOfFrame[head], owner = frames[head].owner, type = frames[head].type
        for k in 0..<(1 << order) {
            frames[target + k].owner = owner
            frames[target + k].type = type
            slabOfFrame[target + k] = s
            frames[head + k].owner = .pages
            slabOfFrame[head + k] = -1
        }
        if s >= 0 { slabs[Int(s)].pfn = Int32(target) }
        if !pageContents.isEmpty, let bytes = pageContents.removeValue(forKey: Int32(head)) { pageContents[Int32(target)] = bytes }
        return true
    }

    /// Marks block `pfn` of `order`, already allocated, as reconstructed state.
    public mutating func markReconstructed(_ pfn: PageFrameNumber, order: Order) {
        for i in pfn.rawValue..<(pfn.rawValue + order.pages) where i < endPFN { frames[i].placement = .reconstructed }
    }

    /// Who decided where frame `pfn` lies.
    public func placement(of pfn: PageFrameNumber) -> Placement {
        let i = pfn.rawValue
        return i >= 0 && i < endPFN ? frames[i].placement : .simulated
    }
}
