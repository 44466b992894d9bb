import Allocators
import Captures
import HeapModel

extension CapturedMachine {
    /// pagetypeinfo: pageblock types per zone, then the free blocks per order and migratetype
    /// (largest first, so that small blocks never fill the room a large one needs).
    static func rebuildFreeBlocks(_ start: ProcState, into m: inout Machine, notes: inout [String]) {
        guard let info = start.pagetypeinfo else {
            rebuildFreeBlocksFromBuddyinfo(start, into: &m, notes: &notes)
            return
        }
        for row in info.blockCounts where row.node == 0 {
            guard let zone = ZoneKind(name: row.zone) else { continue }
            var counts: [MigrateType: Int] = [:]
            for (k, name) in info.blockTypes.enumerated() where k < row.counts.count {
                if let type = MigrateType(procName: name) { counts[type] = row.counts[k] }
            }
            m.setPageblockTypes(zone: zone, counts: counts)
        }
        for order in stride(from: Page.maxOrder, through: 0, by: -1) {
            for row in info.freeBlocks where row.node == 0 && order < row.counts.count && row.counts[order] > 0 {
                guard let zone = ZoneKind(name: row.zone), let type = MigrateType(procName: row.migrateType) else { continue }
                let placed = m.reconstructFreeBlocks(zone: zone, order: Order(order), type: type, count: row.counts[order])
                if placed < row.counts[order] {
                    notes.append("\(row.zone) \(row.migrateType) order \(order): placed \(placed) of \(row.counts[order]) free blocks")
                }
            }
        }
    }

    /// Without pagetypeinfo: buddyinfo's free blocks, all Movable.
    static func rebuildFreeBlocksFromBuddyinfo(_ start: ProcState, into m: inout Machine, notes: inout [String]) {
        for order in stride(from: Page.maxOrder, through: 0, by: -1) {
            for row in start.buddyinfo where row.node == 0 && order < row.freeBlocks.count {
                guard let zone = ZoneKind(name: row.zone) else { continue }
                let placed = m.reconstructFreeBlocks(zone: zone, order: Order(order), type: .movable, count: row.freeBlocks[order])
                if placed < row.freeBlocks[order] { notes.append("\(row.zone) order \(order): placed \(placed) of \(row.freeBlocks[order]) free blocks") }
            }
        }
    }

    /// pcp.tsv (or zoneinfo's pagesets): high and batch per zone, and each CPU's pages. Since 6.7
    /// `high` moves between `high_min` and `high_max` and decays back towards `high_min`; the
    /// lowest CPU's value is that `high_min` (6.1's is the same on every CPU).
    static func rebuildPerCPULists(_ start: ProcState, zoneinfo: [ZoneInfo], into m: inout Machine) {
        let lists = start.pcp ?? zoneinfo.flatMap(\.pagesets)
        var high: [ZoneKind: Int] = [:], batch: [ZoneKind: Int] = [:], startHigh: [ZoneKind: [Int: Int]] = [:]
        for list in lists where list.node == 0 {
            guard let zone = ZoneKind(name: list.zone) else { continue }
            high[zone] = min(high[zone] ?? .max, list.high)
            batch[zone] = max(batch[zone] ?? 0, list.batch)
            startHigh[zone, default: [:]][list.cpu] = list.high
        }
        m.enablePerCPULists(high: high, batch: batch, startHigh: startHigh)
        for list in lists where list.node == 0 && list.count > 0 {
            guard let zone = ZoneKind(name: list.zone) else { continue }
            m.reconstructPerCPUPages(zone: zone, cpu: list.cpu, pages: list.count)
        }
    }

    /// slabinfo, with slab_sysfs.tsv for each cache's object size, alignment, flags and its node
    /// partial slabs: every cache under its real name, its slabs full but for the partial ones.
    static func rebuildSlabs(_ start: ProcState, into m: inout Machine, notes: inout [String]) {
        let sysfs = start.slabSysfs ?? []
        let byName = Dictionary(sysfs.map { ($0.cache, $0) }, uniquingKeysWith: { a, _ in a })
        var cursor = SlabSearchCursor()
        // The start's objects and a quarter more for the slabs the trace makes.
        let objects = start.slabinfo.reduce(0) { $0 + max($1.objects, 0) }
        m.reserveSlots(objects + objects / 4)
        for row in start.slabinfo where row.slabs > 0 || m.cache(named: row.name) == nil {
            let sys = byName[row.name] ?? sysfs.first { $0.isMerged && $0.number("slab_size") == row.objectSize
                && $0.number("objs_per_slab") == row.objectsPerSlab && $0.number("total_objects") == row.objects }
            guard let id = cache(for: row, sysfs: sys, in: &m) else {
                notes.append("slab cache \(row.name): not rebuilt (slot size \(row.objectSize))")
                continue
            }
            guard row.slabs > 0 else { continue }
            let order = max(0, Int.bitWidth - 1 - max(row.pagesPerSlab, 1).leadingZeroBitCount)
            let perSlab = m.cache(id).geometry.objectsPerSlab
            // Node partial slabs hold the free objects slabinfo does not count as active.
            let free = max(0, row.objects - row.activeObjects)
            let partial = min(row.slabs, sys?.number("partial") ?? (free + perSlab - 1) / max(perSlab, 1))
            let partialInUse = sys?.number("objects_partial") ?? max(0, partial * perSlab - free)
            let full = row.slabs - partial
            let made = m.reconstructSlabs(of: id, order: Order(order), count: row.slabs, resumingAt: &cursor) { i in
                guard i >= full else { return perSlab }
                let k = i - full
                return partialInUse / max(partial, 1) + (k < partialInUse % max(partial, 1) ? 1 : 0)
            }
            if made < row.slabs { notes.append("slab cache \(row.name): placed \(made) of \(row.slabs) slabs") }
        }
    }

    /// The cache of a slabinfo row: memtop's own kmalloc cache of that name, else a new one with
    /// the real cache's geometry.
    static func cache(for row: SlabInfoRow, sysfs: SlabSysfsRow?, in m: inout Machine) -> CacheID? {
        if let existing = m.cache(named: row.name), existing.geometry.size == row.objectSize { return existing.id }
        let order = max(0, Int.bitWidth - 1 - max(row.pagesPerSlab, 1).leadingZeroBitCount)
        var flags: SlabCache.Flags = []
        if sysfs?.number("reclaim_account") == 1 { flags.insert(.reclaimAccount) }
        if sysfs?.number("hwcache_align") == 1 { flags.insert(.hardwareCacheAlign) }
        if sysfs?.number("cache_dma") == 1 { flags.insert(.dma) }
        let geometry = SlabGeometry(size: row.objectSize, order: order, minPartial: sysfs?.number("min_partial"))
        return m.createCache(name: row.name, objectSize: sysfs?.number("object_size") ?? row.objectSize, size: row.objectSize,
                             align: sysfs?.number("align") ?? 8, flags: flags, geometry: geometry)
    }

    /// vmallocinfo: each vmalloc'd area (with `pages=`) gets its pages from unknown used memory;
    /// vmap and ioremap areas map memory that is already counted, so they take only their range.
    static func rebuildVmalloc(_ start: ProcState, into m: inout Machine, notes: inout [String]) -> [(real: UInt64, ours: VirtualAddress)] {
        var areas: [(real: UInt64, ours: VirtualAddress)] = []
        var below = m.endPFN
        for area in start.vmallocinfo ?? [] where !area.isUnpurged {
            let site = m.callSite(area.caller ?? "?")
            guard let pages = area.pages, area.kinds.contains("vmalloc") else { continue }
            guard let ours = m.reconstructVmallocArea(size: area.size, pages: pages, caller: site, below: &below) else {
                notes.append("vmalloc area at 0x\(String(area.start, radix: 16)): not rebuilt")
                continue
            }
            areas.append((area.start, ours))
        }
        return areas
    }
}
