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
        func fail(_ s: String) -> InvariantViolation { InvariantViolation(description: s) }
        var onList = [Bool](repeating: false, count: endPFN)
        for (z, zone) in zones.enumerated() {
            var freePages = 0
            var nrFree = [Int](repeating: 0, count: Page.orderCount)
            for order in 0..<Page.orderCount {
                for type in MigrateType.allCases {
                    let list = FreeLists.index(zone: z, order: order, type: type.rawValue)
                    var count = 0
                    var p = Int(freeLists.head[list]), last = -1
                    while p >= 0 {
                        count += 1
                        guard count <= freeLists.count[list] else { throw fail("list \(zone.kind)/\(order)/\(type) longer than its count") }
                        guard Int(freeLists.prev[p]) == last else { throw fail("broken prev link at pfn \(p)") }
                        guard p & ((1 << order) - 1) == 0 else { throw fail("free block pfn \(p) not aligned to order \(order)") }
                        guard p >= zone.startPFN && p + (1 << order) <= zone.endPFN else {
                            throw fail("free block pfn \(p) order \(order) outside zone \(zone.kind)")
                        }
                        guard Int(headOrder[p]) == order, pageMigrateType[p] == type else {
                            throw fail("free block pfn \(p) has head order \(headOrder[p]) / type \(pageMigrateType[p]), list says \(order)/\(type)")
                        }
                        for i in p..<(p + (1 << order)) {
                            guard owner[i] == .free else { throw fail("pfn \(i) inside free block \(p) is owned by \(owner[i])") }
                            guard !onList[i] else { throw fail("pfn \(i) is in two free blocks") }
                            onList[i] = true
                        }
                        if order < Page.maxOrder {
                            let buddy = p ^ (1 << order)
                            if buddy >= zone.startPFN && buddy < zone.endPFN && owner[buddy] == .free && Int(headOrder[buddy]) == order {
                                throw fail("free buddies \(p) and \(buddy) of order \(order) were not merged")
                            }
                        }
                        last = p
                        p = Int(freeLists.next[p])
                    }
                    guard count == freeLists.count[list], Int(freeLists.tail[list]) == last else {
                        throw fail("list \(zone.kind)/\(order)/\(type): count or tail disagrees")
                    }
                    nrFree[order] += count
                    freePages += count << order
                }
            }
            guard nrFree == zone.nrFree else { throw fail("zone \(zone.kind) nr_free \(zone.nrFree) but lists hold \(nrFree)") }
            guard freePages == zone.freePages else { throw fail("zone \(zone.kind) free \(zone.freePages) but lists hold \(freePages)") }
            guard zone.isPopulated else { continue }
            var allocated = 0, reserved = 0, free = 0
            for i in zone.startPFN..<zone.endPFN {
                switch owner[i] {
                case .absent: break
                case .reserved: reserved += 1
                case .free: free += 1
                default: allocated += 1
                }
            }
            guard free == freePages else { throw fail("zone \(zone.kind): \(free) frames marked free, lists hold \(freePages)") }
            guard free + allocated + reserved == zone.presentPages else {
                throw fail("zone \(zone.kind): free \(free) + used \(allocated) + reserved \(reserved) != present \(zone.presentPages)")
            }
            guard allocated + free == zone.managedPages else {
                throw fail("zone \(zone.kind): free \(free) + used \(allocated) != managed \(zone.managedPages)")
            }
        }
        for i in 0..<endPFN where owner[i] == .free && !onList[i] {
            throw fail("pfn \(i) is marked free but on no free list")
        }
    }

    /// Traps with the violation's description when an invariant is broken (a bug in memtop).
    public func checkInvariants() {
        do { try validateInvariants() } catch { preconditionFailure("Machine invariant broken: \(error)") }
    }
}
