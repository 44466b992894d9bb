/// Text renderers producing the kernel's exact formats.
extension Machine {
    /// `/proc/buddyinfo`: `Node 0, zone %8s ` then `%6lu ` per order, for each populated zone.
    public func buddyinfo() -> String {
        var out = ""
        for zone in populatedZones {
            out += "Node 0, zone " + pad(zone.kind.description, 8) + " "
            for n in zone.nrFree { out += pad(String(n), 6) + " " }
            out += "\n"
        }
        return out
    }

    /// `/proc/pagetypeinfo`: the free-page counts per zone, migratetype and order, then the number of
    /// pageblocks of each type per zone. Types: Unmovable, Movable, Reclaimable, HighAtomic, Isolate
    /// (no CMA, as in the Debian and 6.18 kernels of the real captures).
    public func pagetypeinfo() -> String {
        var out = "Page block order: \(Page.pageblockOrder)\nPages per block:  \(Page.pageblockPages)\n\n"
        out += padRight("Free pages count per migrate type at order", 43) + " "
        for o in 0..<Page.orderCount { out += pad(String(o), 6) + " " }
        out += "\n"
        for zone in populatedZones {
            for type in MigrateType.allCases {
                out += "Node " + pad("0", 4) + ", zone " + pad(zone.kind.description, 8) + ", type " + pad(type.description, 12) + " "
                for o in 0..<Page.orderCount {
                    out += pad(String(freeBlockCount(zone: zone.kind, order: Order(o), migrateType: type)), 6) + " "
                }
                out += "\n"
            }
        }
        out += "\n" + padRight("Number of blocks type ", 23)
        for type in MigrateType.allCases { out += pad(type.description, 12) + " " }
        out += "\n"
        for zone in populatedZones {
            var counts = [Int](repeating: 0, count: MigrateType.allCases.count)
            var pfn = zone.startPFN.rawValue
            while pfn < zone.endPFN.rawValue {
                if frames[pfn].owner != .absent { counts[pageblockType[pfn >> Page.pageblockOrder].rawValue] += 1 }
                pfn += Page.pageblockPages
            }
            out += "Node 0, zone " + pad(zone.kind.description, 8) + " "
            for c in counts { out += pad(String(c), 12) + " " }
            out += "\n"
        }
        return out
    }

    /// debugfs `extfrag/extfrag_index`: `%2d.%03d ` per order.
    public func extfragIndexFile() -> String {
        indexFile { Fragmentation.formatExtfrag(Fragmentation.extfragIndex(nrFree: $0, order: Order($1))) + " " }
    }

    /// debugfs `extfrag/unusable_index`: `%d.%03d ` per order.
    public func unusableIndexFile() -> String {
        indexFile { Fragmentation.formatUnusable(Fragmentation.unusableIndex(nrFree: $0, order: Order($1))) + " " }
    }

    private func indexFile(_ cell: ([Int], Int) -> String) -> String {
        var out = ""
        for zone in populatedZones {
            out += "Node 0, zone " + pad(zone.kind.description, 8) + " "
            for o in 0..<Page.orderCount { out += cell(zone.nrFree, o) }
            out += "\n"
        }
        return out
    }

    /// memtop's zone summary: sizes, watermarks, free memory and the largest free block per zone.
    public func zoneSummary() -> String {
        var out = "zone     managed      free   free_kB    min    low   high  largest_free\n"
        for zone in populatedZones {
            let largest = Fragmentation.largestFreeOrder(nrFree: zone.nrFree)
            let largestText = largest.map { "order \($0) (\(ByteSize.format(UInt64(Page.size << $0))))" } ?? "none"
            out += padRight(zone.kind.description, 6) + pad(String(zone.managedPages), 10) + pad(String(zone.freePages), 10)
                + pad(String(zone.freePages * (Page.size / 1024)), 10) + pad(String(zone.watermarks.min), 7)
                + pad(String(zone.watermarks.low), 7) + pad(String(zone.watermarks.high), 7) + "  " + largestText + "\n"
        }
        return out
    }
}
