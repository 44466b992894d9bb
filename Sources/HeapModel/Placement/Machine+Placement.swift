/// Putting blocks where a trace says the kernel put them, instead of where memtop's allocator would.
///
/// A replay of a real trace knows the frame of every page allocation (`mm_page_alloc pfn=`) and
/// free. These functions take such a block out of free memory, or return it, whatever memtop had
/// decided about those frames itself: memtop's own choices and reconstructed state give way to the
/// trace (they are moved elsewhere), and a block the trace placed earlier but never freed is taken
/// as freed (its free was lost).
extension Machine {
    /// What placing a block did besides placing it.
    public struct PlacementReport: Hashable, Sendable {
        /// Nothing had to give way.
        public init() {}
        /// Blocks memtop had decided or reconstructed there, moved elsewhere.
        public var relocated = 0
        /// Blocks the trace had placed there and never freed, taken as freed.
        public var lostFrees = 0
        /// Slabs among those, with the objects still in them.
        public var slabsDropped = 0
        /// Relocations that found no memory: the block was dropped (counted free).
        public var dropped = 0
    }

    /// Why a block could not be placed.
    public enum PlacementProblem: Error, Hashable, Sendable {
        /// Outside every zone, or across a zone boundary.
        case outsideZones
        /// Frames with no RAM or reserved at boot.
        case notManaged
        /// A block whose first frame is not a multiple of its size: no buddy allocator hands one out.
        case misaligned
    }

    /// The zone block `pfn` of 2^`order` frames can be placed in.
    /// - Throws: ``PlacementProblem`` when the frames are not managed memory of one zone, or the
    ///   block is not aligned to its size.
    @inline(__always) func placementZone(_ pfn: PageFrameNumber, order blockOrder: Order) throws(PlacementProblem) -> Int {
        let order = blockOrder.rawValue
        guard order >= 0, order <= Page.maxOrder else { throw .outsideZones }
        let start = pfn.rawValue, count = 1 << order
        guard start >= 0, start <= endPFN - count else { throw .outsideZones }
        guard start & (count - 1) == 0 else { throw .misaligned }
        let z = zoneIndex(of: start)
        guard zones[z].isPopulated, start >= zones[z].startPFN.rawValue, start + count <= zones[z].endPFN.rawValue else { throw .outsideZones }
        for i in start..<(start + count) where frames[i].owner == .absent
            || (frames[i].owner == .reserved && !(reservationsAreReconstructed && i >= 0x100)) {
            throw .notManaged
        }
        return z
    }

    /// Takes block `pfn` of 2^`order` frames for `owner`, as the trace says the kernel did.
    /// - Returns: what had to give way.
    /// - Throws: ``PlacementProblem`` when the frames are not managed memory of one zone; the
    ///   machine is then unchanged.
    /// - Complexity: O(2^order) plus the blocks moved.
    @discardableResult
    public mutating func placeBlock(at pfn: PageFrameNumber, order blockOrder: Order, migrateType: MigrateType, owner: PageOwner,
                                    gfp: GFPFlags = [], cpu: Int? = nil) throws(PlacementProblem) -> PlacementReport {
        let order = blockOrder.rawValue, start = pfn.rawValue, count = 1 << order
        let z = try placementZone(pfn, order: blockOrder)
        var report = PlacementReport()
        let fromPerCPU = frames[start].owner == .perCPU
        if fromPerCPU && frames[start].perCPUList != Frame.notOnPerCPUList && Int(frames[start].order) == order {
            // The very block is on one of memtop's per-CPU lists: it leaves the list, as the
            // kernel's `__rmqueue_pcplist()` takes it, without the buddy lists seeing it (clearing
            // the range would merge it into them and split it back out, reordering their blocks).
            takeFromPerCPU(start)
        } else {
            clearForPlacement(start..<(start + count), zone: z, report: &report)
            takeFreeRange(start, order: order, zone: z)
        }
        if count > 1 {
            frames.updateEach(in: (start + 1)..<(start + count)) {
                $0.owner = owner
                $0.type = migrateType
                $0.placement = .observed
            }
        }
        frames.update(start) {
            $0.order = Int8(order)
            $0.owner = owner
            $0.type = migrateType
            $0.placement = .observed
        }
        recordUntallied(.pagesAllocated(pfn: pfn, order: Order(order), migrateType: migrateType, gfp: gfp, zone: ZoneKind(rawValue: z) ?? .normal))
        if let cpu, order <= PerCPUPages.maxOrder, migrateType.rawValue < 3 {
            notePerCPUAllocation(zone: z, cpu: cpu)
            if !fromPerCPU { takeFromPerCPUList(zone: z, cpu: cpu, order: order, type: migrateType) }
        }
        updateLevel(zone: z)
        return report
    }

    /// A small allocation the kernel served from `cpu`'s per-CPU list of its order and migratetype
    /// (`rmqueue()` takes `rmqueue_pcplist()` for every order up to 3, 6.1 `mm/page_alloc.c`), of a
    /// block memtop's lists do not hold. When memtop's list has blocks, one of them stood in for it
    /// (memtop's start state put the list's pages elsewhere): the oldest goes back to the buddy
    /// lists. When the list is empty, the kernel refilled it from the buddy lists first
    /// (`rmqueue_bulk()` of `max(batch >> order, 2)` blocks, the traced one the first of them): the
    /// others come off memtop's buddy lists onto the list, in the order `__rmqueue()` gives them.
    mutating func takeFromPerCPUList(zone z: Int, cpu: Int, order: Int, type: MigrateType) {
        guard perCPU.isEnabled, order <= PerCPUPages.maxOrder, type.rawValue < 3, cpu >= 0, cpu < perCPU.cpus else { return }
        let list = perCPU.list(zone: z, cpu: cpu, order: order, type: type.rawValue)
        let tail = Int(perCPU.lists[list].tail)
        if tail >= 0 {
            takeFromPerCPU(tail)
            freeBlock(tail, order: order, zone: z, toTail: false, recordEvents: false)
            return
        }
        refillPerCPUList(list, zone: z, cpu: cpu, order: order, type: type)
    }

    /// Makes every frame of `range` free in the buddy lists: per-CPU blocks go to the buddy lists,
    /// memtop's blocks move elsewhere, blocks the trace placed are taken as freed.
    mutating func clearForPlacement(_ range: Range<Int>, zone z: Int, report: inout PlacementReport) {
        var i = range.lowerBound
        while i < range.upperBound {
            switch frames[i].owner {
            case .free:
                i += 1
            case .perCPU:
                guard let head = perCPUHead(covering: i) else { i += 1; continue }
                let order = Int(frames[head].order)
                takeFromPerCPU(head)
                freeBlock(head, order: order, zone: z, toTail: false, recordEvents: false)
            case .reserved where reservationsAreReconstructed && i >= 0x100:
                // memtop put a boot reservation here by its own reckoning; the kernel used the frame,
                // so the reservation moves to a free frame of the same zone.
                if let other = takeAnyBlock(order: 0, type: .unmovable, avoiding: range, zone: z) {
                    frames[other].owner = .reserved
                    frames[other].order = -1
                    frames[other].placement = .reconstructed
                    frames[i].owner = .pages
                    freeBlock(i, order: 0, zone: z, toTail: false, recordEvents: false)
                    report.relocated += 1
                } else {
                    i += 1
                }
            case .absent, .reserved:
                i += 1
            default:
                guard let (head, order) = allocatedBlock(covering: i) else { i += 1; continue }
                if frames[head].placement == .observed {
                    report.lostFrees += 1
                    if case .slab = frames[head].owner { report.slabsDropped += 1 }
                    releaseOwnedBlock(head, order: order, zone: z)
                } else if relocate(head, order: order, avoiding: range) {
                    report.relocated += 1
                } else {
                    report.dropped += 1
                    releaseOwnedBlock(head, order: order, zone: z)
                }
            }
        }
    }

    /// The head and order of the allocated block that frame `pfn` belongs to.
    @inline(__always) func allocatedBlock(covering pfn: Int) -> (Int, Int)? {
        let owner = frames[pfn].owner
        guard owner.isAllocated else { return nil }
        for o in 0...Page.maxOrder {
            let h = pfn & ~((1 << o) - 1)
            if frames[h].owner == owner && Int(frames[h].order) == o { return (h, o) }
        }
        return nil
    }

    /// Takes the free, aligned block `start` of `order` out of the buddy lists: the free block
    /// that holds it is split, the other pieces staying free.
    /// - Precondition: every frame of the block is free in the buddy lists.
    mutating func takeFreeRange(_ start: Int, order: Int, zone z: Int) {
        for o in order...Page.maxOrder {
            let h = start & ~((1 << o) - 1)
            guard frames[h].owner == .free, Int(frames[h].order) == o else { continue }
            let type = frames[h].type
            takeFreeBlock(h, order: o, list: FreeList.index(zone: z, order: o, type: type.rawValue), zone: z)
            var head = h, current = o
            while current > order {
                current -= 1
                let half = 1 << current
                // Keep the half that holds the target; the other goes back free (expand's way: list head).
                let other = start >= head + half ? head : head + half
                if start >= head + half { head += half }
                addFreeBlock(other, order: current, zone: z, type: type, atTail: false)
            }
            return
        }
        var census: [String: Int] = [:]
        for i in start..<(start + (1 << order)) { census["\(frames[i].owner)/\(frames[i].order)/\(frames[i].placement)", default: 0] += 1 }
        preconditionFailure("placing pfn \(start) order \(order): the frames are not one free block: \(census)")
    }
}
