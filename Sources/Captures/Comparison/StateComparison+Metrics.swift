extension StateComparison {
    /// Free pages and free pages of order ≥ 3, per zone of either side (real zones first).
    static func buddyRows(_ real: [BuddyInfoZone], _ memtop: [BuddyInfoZone]) -> [ComparisonRow] {
        let empty = BuddyInfoZone(node: 0, zone: "", freeBlocks: [])
        var keys: [ZoneKey] = []
        for zone in real + memtop where !keys.contains(ZoneKey(zone.node, zone.zone)) { keys.append(ZoneKey(zone.node, zone.zone)) }
        let find = { (zones: [BuddyInfoZone], key: ZoneKey) in
            zones.first { $0.node == key.node && $0.zone == key.zone } ?? empty
        }
        var rows: [ComparisonRow] = []
        for key in keys {
            let r = find(real, key), m = find(memtop, key)
            rows.append(ComparisonRow(metric: .freePages(node: key.node, zone: key.zone), real: r.freePages,
                                      memtop: m.freePages, tolerance: .freePages, countsTowardVerdict: true))
        }
        for key in keys {
            let r = find(real, key), m = find(memtop, key)
            rows.append(ComparisonRow(metric: .highOrderFreePages(node: key.node, zone: key.zone),
                                      real: r.freePages(fromOrder: highOrder), memtop: m.freePages(fromOrder: highOrder),
                                      tolerance: .highOrderFreePages, countsTowardVerdict: true))
        }
        return rows
    }

    /// pagetypeinfo's free blocks per zone, migratetype and order, skipping orders where both are 0.
    static func freeBlockRows(_ real: PageTypeInfo, _ memtop: PageTypeInfo) -> [ComparisonRow] {
        var keys: [FreeBlockKey] = []
        for row in real.freeBlocks + memtop.freeBlocks {
            let key = FreeBlockKey(node: row.node, zone: row.zone, migrateType: row.migrateType)
            if !keys.contains(key) { keys.append(key) }
        }
        var rows: [ComparisonRow] = []
        for key in keys {
            let r = real.freeBlocks(node: key.node, zone: key.zone, migrateType: key.migrateType) ?? []
            let m = memtop.freeBlocks(node: key.node, zone: key.zone, migrateType: key.migrateType) ?? []
            for order in 0..<max(r.count, m.count) {
                let realCount = order < r.count ? r[order] : 0, memtopCount = order < m.count ? m[order] : 0
                guard realCount != 0 || memtopCount != 0 else { continue }
                let metric = ComparisonMetric.freeBlocks(node: key.node, zone: key.zone, migrateType: key.migrateType, order: order)
                rows.append(ComparisonRow(metric: metric, real: realCount, memtop: memtopCount, tolerance: .freeBlocks,
                                          countsTowardVerdict: false))
            }
        }
        return rows
    }

    /// Pages on each zone's per-CPU lists, summed over CPUs, for the zones either side lists
    /// (reported only: how many pages sit there depends on the moment of the dump).
    static func perCPURows(_ real: [PCPList], _ memtop: [PCPList]) -> [ComparisonRow] {
        var keys: [ZoneKey] = []
        for list in real + memtop where !keys.contains(ZoneKey(list.node, list.zone)) { keys.append(ZoneKey(list.node, list.zone)) }
        let pages = { (lists: [PCPList], key: ZoneKey) in
            lists.lazy.filter { $0.node == key.node && $0.zone == key.zone }.reduce(0) { $0 + $1.count }
        }
        return keys.map { key in
            ComparisonRow(metric: .perCPUPages(node: key.node, zone: key.zone), real: pages(real, key), memtop: pages(memtop, key),
                          tolerance: .perCPUPages, countsTowardVerdict: false)
        }
    }

    /// vmalloc areas with `pages=` and their pages.
    static func vmallocRows(_ real: [VmallocArea], _ memtop: [VmallocArea]) -> [ComparisonRow] {
        let areas = { (list: [VmallocArea]) in list.lazy.filter { $0.pages != nil }.count }
        let pages = { (list: [VmallocArea]) in list.reduce(0) { $0 + ($1.pages ?? 0) } }
        return [
            ComparisonRow(metric: .vmallocAreasWithPages, real: areas(real), memtop: areas(memtop), tolerance: .vmalloc,
                          countsTowardVerdict: true),
            ComparisonRow(metric: .vmallocPages, real: pages(real), memtop: pages(memtop), tolerance: .vmalloc,
                          countsTowardVerdict: true),
        ]
    }

    /// The slab rows and the per-cache tallies.
    struct SlabComparison {
        var rows: [ComparisonRow] = []
        var compared = 0
        var passing = 0
        var missing: [String] = []
        var duplicates: [String] = []
    }

    /// Total slab pages, the per-cache rows, the pass count, missing caches and duplicate names.
    static func slabComparison(_ real: [SlabInfoRow], _ memtop: [SlabInfoRow]) -> SlabComparison {
        var result = SlabComparison()
        let pages = { (rows: [SlabInfoRow]) in rows.reduce(0) { $0 + $1.pages } }
        result.rows.append(ComparisonRow(metric: .slabPages, real: pages(real), memtop: pages(memtop), tolerance: .slabPages,
                                         countsTowardVerdict: true))
        var memtopByName: [String: SlabInfoRow] = [:]
        for row in memtop {
            if memtopByName[row.name] == nil {
                memtopByName[row.name] = row
            } else if !result.duplicates.contains(row.name) {
                result.duplicates.append(row.name)
            }
        }
        var seen = Set<String>()
        for row in real where row.activeObjects >= minimumCacheObjects && seen.insert(row.name).inserted {
            let other = memtopByName[row.name]
            if other == nil { result.missing.append(row.name) }
            let active = ComparisonRow(metric: .cacheActiveObjects(cache: row.name), real: row.activeObjects,
                                       memtop: other?.activeObjects ?? 0, tolerance: .cache, countsTowardVerdict: false)
            result.compared += 1
            if active.isWithinTolerance { result.passing += 1 }
            result.rows.append(active)
            result.rows.append(ComparisonRow(metric: .cacheObjects(cache: row.name), real: row.objects,
                                             memtop: other?.objects ?? 0, tolerance: .cache, countsTowardVerdict: false))
            result.rows.append(ComparisonRow(metric: .cacheSlabs(cache: row.name), real: row.slabs,
                                             memtop: other?.slabs ?? 0, tolerance: .cache, countsTowardVerdict: false))
        }
        return result
    }

    /// A node and zone name.
    struct ZoneKey: Hashable {
        let node: Int
        let zone: String
        init(_ node: Int, _ zone: String) {
            self.node = node
            self.zone = zone
        }
    }

    /// A node, zone and migratetype.
    struct FreeBlockKey: Hashable {
        let node: Int
        let zone: String
        let migrateType: String
    }
}
