/// Compaction's migration targets, which no trace shows.
///
/// `isolate_freepages()` takes free pages straight off the buddy lists, scanning pageblocks down
/// from the zone's end (`compact_cached_free_pfn`), and `compaction_alloc()` hands them to
/// `migrate_pages()`: no `mm_page_alloc` is emitted. The migrated source pages' frees are traced.
extension Machine {
    /// The most frames one search looks at: a zone with no suitable free block gives up soon.
    static let migrationTargetScanLimit = 1 << 16

    /// Takes a free block of 2^`order` frames for a migration target, as the free scanner finds
    /// one: the highest such block below `cursor` in a Movable pageblock of `zone` (wrapping to the
    /// zone's end once), held as memtop's own movable pages. `cursor` moves to it.
    /// - Returns: the block, or nil when none is found within ``migrationTargetScanLimit`` frames.
    public mutating func isolateMigrationTarget(order blockOrder: Order, zone kind: ZoneKind, cursor: inout Int) -> PageFrameNumber? {
        let z = kind.rawValue, order = blockOrder.rawValue
        guard z < zones.count, zones[z].isPopulated, order >= 0, order <= Page.maxOrder else { return nil }
        let count = 1 << order, mask = ~(count - 1)
        let (low, high) = (zones[z].startPFN.rawValue, zones[z].endPFN.rawValue)
        var p = (min(max(cursor, low), high) - count) & mask
        var scanned = 0, wrapped = false
        while scanned < Self.migrationTargetScanLimit {
            if p < low {
                if wrapped { return nil }
                wrapped = true
                p = (high - count) & mask
                continue
            }
            if pageblockType[p >> Page.pageblockOrder] != .movable {
                // The whole pageblock is unsuitable: go below it.
                let next = ((p >> Page.pageblockOrder) << Page.pageblockOrder) - count
                scanned += p - next
                p = next
                continue
            }
            if (p..<(p + count)).allSatisfy({ frames[$0].owner == .free }) { break }
            p -= count
            scanned += count
        }
        guard scanned < Self.migrationTargetScanLimit, p >= low else { return nil }
        takeFreeRange(p, order: order, zone: z)
        frames.updateEach(in: p..<(p + count)) {
            $0.owner = .outside
            $0.type = .movable
            $0.placement = .simulated
            $0.order = -1
        }
        frames[p].order = Int8(order)
        updateLevel(zone: z)
        cursor = p
        return PageFrameNumber(p)
    }
}
