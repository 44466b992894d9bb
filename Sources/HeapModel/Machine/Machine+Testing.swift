/// Test hooks: where two machines differ, for readable failure messages.
extension Machine {
    /// Names the parts of the state that differ between `self` and `other`, with the first index
    /// that differs in each per-frame array.
    package func differences(from other: Machine) -> [String] {
        var out: [String] = []
        func firstDiff<T: Equatable>(_ a: [T], _ b: [T], _ name: String) {
            if a.count != b.count { out.append("\(name): sizes \(a.count) vs \(b.count)"); return }
            if let i = a.indices.first(where: { a[$0] != b[$0] }) { out.append("\(name)[\(i)]: \(a[i]) vs \(b[i])") }
        }
        if configuration != other.configuration { out.append("configuration") }
        for (a, b) in zip(zones, other.zones) where a != b { out.append("zone \(a.kind): \(a) vs \(b)") }
        firstDiff(frames.map(\.owner), other.frames.map(\.owner), "owner")
        firstDiff(frames.map(\.order), other.frames.map(\.order), "order")
        firstDiff(frames.map(\.type), other.frames.map(\.type), "type")
        firstDiff(pageblockType, other.pageblockType, "pageblockType")
        firstDiff(freeLists, other.freeLists, "freeLists")
        firstDiff(frames.map(\.next), other.frames.map(\.next), "freeLists.next")
        firstDiff(frames.map(\.prev), other.frames.map(\.prev), "freeLists.prev")
        return out
    }
}

extension Machine {
    /// Gives the pageblock holding `pfn` the migratetype `type` and moves its free blocks to that
    /// type's lists, as `move_freepages_block()` and `set_pageblock_migratetype()` do together: for
    /// tests that need free blocks of a type the machine would not make on its own.
    package mutating func retypePageblock(of pfn: PageFrameNumber, to type: MigrateType) {
        let zone = zoneIndex(of: pfn.rawValue)
        moveFreeBlocks(ofPageblock: pfn.rawValue, zone: zone, to: type)
        pageblockType[pfn.rawValue >> Page.pageblockOrder] = type
    }
}

extension Machine {
    /// The blocks on zone `kind`'s buddy free lists, found by following each list's links from its
    /// head (every order, every migratetype): for tests that check the lists against the counters
    /// and the frames without trusting either.
    /// - Complexity: O(free blocks in the zone).
    package func freeListBlocks(zone kind: ZoneKind) -> [(pfn: PageFrameNumber, order: Order, migrateType: MigrateType)] {
        var out: [(pfn: PageFrameNumber, order: Order, migrateType: MigrateType)] = []
        for order in 0..<Page.orderCount {
            for type in MigrateType.allCases {
                var p = Int(freeLists[FreeList.index(zone: kind.rawValue, order: order, type: type.rawValue)].head)
                while p >= 0 && out.count <= endPFN {
                    out.append((PageFrameNumber(p), Order(order), type))
                    p = Int(frames[p].next)
                }
            }
        }
        return out
    }
}
