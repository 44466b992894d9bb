/// Whole-structure consistency checks, for tests and debug runs.
extension Machine {
    /// A broken invariant: which one and where.
    public struct InvariantViolation: Error, CustomStringConvertible, Sendable {
        /// What is wrong, naming the offending frame or list.
        public let description: String
    }

    /// Walks every free list and every frame and checks the invariants in the type's documentation.
    /// - Throws: ``InvariantViolation`` describing the first problem found.
    /// - Complexity: O(frames).
    public func validateInvariants() throws(InvariantViolation) {
        var onList = [Bool](repeating: false, count: endPFN)
        for (z, zone) in zones.enumerated() {
            var freePages = 0
            var nrFree = [Int](repeating: 0, count: Page.orderCount)
            for order in 0..<Page.orderCount {
                for type in MigrateType.allCases {
                    let count = try validateFreeList(zone: z, order: order, type: type, onList: &onList)
                    nrFree[order] += count
                    freePages += count << order
                }
            }
            guard nrFree == zone.nrFree else { throw Self.fail("zone \(zone.kind) nr_free \(zone.nrFree) but lists hold \(nrFree)") }
            guard freePages == zone.freePages else { throw Self.fail("zone \(zone.kind) free \(zone.freePages) but lists hold \(freePages)") }
            try validateFrameCounts(zone, freePages: freePages)
        }
        for i in 0..<endPFN where frames[i].owner == .free && !onList[i] {
            throw Self.fail("pfn \(i) is marked free but on no free list")
        }
        try validatePerCPULists()
        try validateSlabInvariants()
    }

    /// The per-CPU lists: every block on one heads frames of owner `.perCPU` with its order and
    /// the list's index in `perCPUList`; no other frame names a list; each zone-CPU's page count
    /// is what its lists hold.
    func validatePerCPULists() throws(InvariantViolation) {
        var named = 0, onLists = 0
        for i in 0..<endPFN where frames[i].perCPUList != Frame.notOnPerCPUList { named += 1 }
        var pages = [Int](repeating: 0, count: perCPU.pages.count)
        for (l, list) in perCPU.lists.enumerated() {
            var p = Int(list.head)
            while p >= 0 {
                onLists += 1
                guard onLists <= named, frames[p].owner == .perCPU, Int(frames[p].perCPUList) == l else {
                    throw Self.fail("per-CPU list \(l): pfn \(p) is \(frames[p].owner), names list \(frames[p].perCPUList)")
                }
                pages[l / PerCPUPages.listsPerCPU] += 1 << Int(frames[p].order)
                p = Int(frames[p].next)
            }
        }
        guard named == onLists else { throw Self.fail("\(named) frames name a per-CPU list, the lists hold \(onLists) blocks") }
        if let k = pages.indices.first(where: { pages[$0] != perCPU.pages[$0] }) {
            throw Self.fail("zone-CPU \(k) counts \(perCPU.pages[k]) per-CPU pages, its lists hold \(pages[k])")
        }
    }

    static func fail(_ s: String) -> InvariantViolation { InvariantViolation(description: s) }

    /// Walks one free list: links, alignment, zone bounds, head order and type, every frame free and
    /// on one block only, no unmerged buddies, count and tail; returns the blocks on it.
    func validateFreeList(zone z: Int, order: Int, type: MigrateType, onList: inout [Bool]) throws(InvariantViolation) -> Int {
        let zone = zones[z]
        let list = FreeList.index(zone: z, order: order, type: type.rawValue)
        var count = 0
        var p = Int(freeLists[list].head), last = -1
        while p >= 0 {
            count += 1
            guard count <= freeLists[list].count else { throw Self.fail("list \(zone.kind)/\(order)/\(type) longer than its count") }
            guard Int(frames[p].prev) == last else { throw Self.fail("broken prev link at pfn \(p)") }
            guard p & ((1 << order) - 1) == 0 else { throw Self.fail("free block pfn \(p) not aligned to order \(order)") }
            guard p >= zone.startPFN.rawValue && p + (1 << order) <= zone.endPFN.rawValue else {
                throw Self.fail("free block pfn \(p) order \(order) outside zone \(zone.kind)")
            }
            guard Int(frames[p].order) == order, frames[p].type == type else {
                throw Self.fail("free block pfn \(p) has head order \(frames[p].order) / type \(frames[p].type), list says \(order)/\(type)")
            }
            for i in p..<(p + (1 << order)) {
                guard frames[i].owner == .free else { throw Self.fail("pfn \(i) inside free block \(p) is owned by \(frames[i].owner)") }
                guard !onList[i] else { throw Self.fail("pfn \(i) is in two free blocks") }
                onList[i] = true
            }
            if order < Page.maxOrder {
                let buddy = p ^ (1 << order)
                if buddy >= zone.startPFN.rawValue && buddy < zone.endPFN.rawValue && frames[buddy].owner == .free && Int(frames[buddy].order) == order {
                    throw Self.fail("free buddies \(p) and \(buddy) of order \(order) were not merged")
                }
            }
            last = p
            p = Int(frames[p].next)
        }
        guard count == freeLists[list].count, Int(freeLists[list].tail) == last else {
            throw Self.fail("list \(zone.kind)/\(order)/\(type): count or tail disagrees")
        }
        return count
    }

    /// Frames marked free, used and reserved add up to the zone's present and managed pages.
    func validateFrameCounts(_ zone: Zone, freePages: Int) throws(InvariantViolation) {
        guard zone.isPopulated else { return }
        var allocated = 0, reserved = 0, free = 0
        for i in zone.startPFN.rawValue..<zone.endPFN.rawValue {
            switch frames[i].owner {
            case .absent: break
            case .reserved: reserved += 1
            case .free: free += 1
            default: allocated += 1
            }
        }
        guard free == freePages else { throw Self.fail("zone \(zone.kind): \(free) frames marked free, lists hold \(freePages)") }
        guard free + allocated + reserved == zone.presentPages else {
            throw Self.fail("zone \(zone.kind): free \(free) + used \(allocated) + reserved \(reserved) != present \(zone.presentPages)")
        }
        guard allocated + free == zone.managedPages else {
            throw Self.fail("zone \(zone.kind): free \(free) + used \(allocated) != managed \(zone.managedPages)")
        }
    }

    /// Traps with the violation's description when an invariant is broken (a bug in memtop).
    public func checkInvariants() {
        do { try validateInvariants() } catch { preconditionFailure("Machine invariant broken: \(error)") }
    }
}
