import Captures
import Testing

/// Every parser on every `start/` and `end/` file of the shared bundles, with the counts that must
/// hold between files of one dump.
@Suite("Real bundles: every parser on every state file", .enabled(if: SharedBundles.available, SharedBundles.skipReason))
struct RealBundleParsingTests {
    @Test("zoneinfo: five zones per node, empty ones flagged, two CPUs' pagesets, MemTotal = managed",
          arguments: SharedBundles.stateFolders)
    func zoneinfo(_ folder: StateFolder) throws {
        let zones = try ProcParser.zoneinfo(folder.text("zoneinfo.txt"))
        #expect(zones.map(\.name) == ["DMA", "DMA32", "Normal", "Movable", "Device"])
        #expect(zones.map(\.isEmpty) == [false, false, true, true, true])
        for zone in zones where !zone.isEmpty {
            #expect(zone.pagesets.map(\.cpu) == [0, 1])
            #expect(zone.startPFN != nil && zone.present <= zone.spanned && zone.managed <= zone.present)
            #expect(zone.watermarks.min < zone.watermarks.low && zone.watermarks.low < zone.watermarks.high)
            #expect(zone.protection.count == 5)
            #expect(zone.counters["nr_free_pages"] == zone.freePages)
        }
        #expect(zones.first?.nodeCounters["nr_slab_unreclaimable"] != nil)
        #expect(zones.dropFirst().allSatisfy { $0.nodeCounters.isEmpty })
        // /proc/meminfo's MemTotal is totalram_pages: the sum of managed pages, in kB.
        let meminfo = try ProcParser.meminfo(folder.text("meminfo.txt"))
        #expect(meminfo["MemTotal"] == zones.reduce(0) { $0 + $1.managed } * 4)
        #expect(meminfo.counts["HugePages_Total"] == 0)
    }

    @Test("buddyinfo totals equal zoneinfo's nr_free_pages within the per-CPU counter drift",
          arguments: SharedBundles.stateFolders)
    func buddyinfoAgainstZoneinfo(_ folder: StateFolder) throws {
        let buddy = try ProcParser.buddyinfo(folder.text("buddyinfo.txt"))
        let zones = try ProcParser.zoneinfo(folder.text("zoneinfo.txt"))
        #expect(buddy.map(\.zone) == zones.filter { !$0.isEmpty }.map(\.name))
        for row in buddy {
            #expect(row.freeBlocks.count == 11)
            let zone = try #require(zones.first { $0.name == row.zone })
            // NR_FREE_PAGES is a vmstat counter: each CPU holds up to its "vm stats threshold" of
            // unfolded delta, so the printed counter can trail the free lists by their sum. The
            // captures agree exactly except 6.12-build/start DMA32 (174508 listed, 174512 counted).
            let drift = zone.pagesets.reduce(0) { $0 + ($1.vmStatsThreshold ?? 0) }
            #expect(abs(row.freePages - zone.freePages) <= drift, "\(folder) \(row.zone)")
        }
    }

    @Test("pagetypeinfo: per-migratetype free counts add up to buddyinfo; blocks cover each zone's span",
          arguments: SharedBundles.stateFolders)
    func pagetypeinfo(_ folder: StateFolder) throws {
        let types = try ProcParser.pagetypeinfo(folder.text("pagetypeinfo.txt"))
        let buddy = try ProcParser.buddyinfo(folder.text("buddyinfo.txt"))
        let zones = try ProcParser.zoneinfo(folder.text("zoneinfo.txt"))
        #expect(types.pageblockOrder == 9 && types.pagesPerBlock == 512)
        #expect(types.blockTypes == ["Unmovable", "Movable", "Reclaimable", "HighAtomic", "Isolate"])
        #expect(types.freeBlocks.count == buddy.count * types.blockTypes.count)
        for row in buddy {
            var sum = [Int](repeating: 0, count: 11)
            for typeRow in types.freeBlocks where typeRow.zone == row.zone {
                for (order, count) in typeRow.counts.enumerated() { sum[order] += count }
            }
            // Read about a millisecond apart, the two files agree exactly in every capture.
            #expect(sum == row.freeBlocks, "\(folder) \(row.zone)")
            let zone = try #require(zones.first { $0.name == row.zone }), start = try #require(zone.startPFN)
            let blocks = types.blockCounts.first { $0.zone == row.zone }?.counts.reduce(0, +)
            let end = start + zone.spanned
            #expect(blocks == (end + types.pagesPerBlock - 1) / types.pagesPerBlock - start / types.pagesPerBlock)
        }
    }

    @Test("slabinfo: one row per non-heading line, names unique, one row per /sys/kernel/slab directory",
          arguments: SharedBundles.stateFolders)
    func slabinfo(_ folder: StateFolder) throws {
        let text = folder.text("slabinfo.txt")
        let rows = try ProcParser.slabinfo(text)
        let dataLines = text.split(separator: "\n").dropFirst().filter { !$0.hasPrefix("#") }
        #expect(rows.count == dataLines.count)
        #expect(Set(rows.map(\.name)).count == rows.count)
        #expect(rows.allSatisfy { $0.activeObjects <= $0.objects && $0.activeSlabs <= $0.slabs })
        #expect(rows.allSatisfy { $0.objects == $0.slabs * $0.objectsPerSlab })
        let sysfs = try ProcParser.slabSysfs(folder.text("slab_sysfs.tsv"))
        #expect(sysfs.count == rows.count)
        // Every unmerged cache directory is a slabinfo name; merged ones print under a creator's name.
        let names = Set(rows.map(\.name))
        #expect(sysfs.filter { !$0.isMerged }.allSatisfy { names.contains($0.cache) })
    }

    @Test("slab_sysfs.tsv and slab_aliases.tsv: every column, 56 merged directories, aliases named",
          arguments: SharedBundles.stateFolders)
    func slabSysfs(_ folder: StateFolder) throws {
        let text = folder.text("slab_sysfs.tsv")
        let rows = try ProcParser.slabSysfs(text)
        let header = text.split(separator: "\n").first?.split(separator: "\t").map(String.init) ?? []
        #expect(rows.count == text.split(separator: "\n").count - 1)
        #expect(rows.allSatisfy { Set($0.values.keys) == Set(header.dropFirst()) })
        #expect(rows.filter(\.isMerged).count == 56)
        #expect(rows.allSatisfy { $0.values["slabs_cpu_partial"]?.slabs != nil })
        #expect(rows.allSatisfy { ($0.number("objects") ?? -1) <= ($0.number("total_objects") ?? -1) })
        let aliasText = folder.text("slab_aliases.tsv")
        let aliases = try ProcParser.slabAliases(aliasText)
        #expect(aliases.count == aliasText.split(separator: "\n").count - 1)
        // Links name a directory of the same dump, except after 6.1-vmalloc's module loads: 37 of
        // its end/ links (btrfs_*, ext4_* and others) point at ":0000144"-style names that have no
        // directory (slab_ls.txt shows the same dangling links).
        let directories = Set(rows.map(\.cache))
        let dangling = aliases.filter { !directories.contains($0.target) }.count
        #expect(dangling == (folder.bundle.hasSuffix("6.1-vmalloc") && folder.state == "end" ? 37 : 0))
    }
}
