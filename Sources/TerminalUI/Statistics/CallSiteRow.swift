import HeapModel

/// One row of the call-site table: what a site holds now and what it allocated so far.
public struct CallSiteRow: Hashable, Sendable {
    /// The site as ftrace prints it.
    public let name: String
    /// The interned site.
    public let site: CallSite
    /// Live allocations and their bytes.
    public let liveObjects: Int, liveBytes: Int
    /// Allocations since the start, and the bytes they were given.
    public let allocations: Int, allocatedBytes: Int
    /// The caches its live objects are in, the most used first.
    public let caches: [String]

    /// The rows of every site that holds or has allocated something, sorted by `sort` (live
    /// objects `o`, allocations `a`, name `n`, otherwise live bytes), largest first.
    public static func rows(of machine: Machine, cumulative: [CallSite: AllocationReport.SiteTotals], sort: SlabSort) -> [CallSiteRow] {
        let live = machine.callSiteUsage()
        let sites = Set(live.keys).union(cumulative.keys)
        let rows = sites.map { s in
            CallSiteRow(name: machine.name(of: s), site: s, liveObjects: live[s]?.objects ?? 0, liveBytes: live[s]?.bytes ?? 0,
                        allocations: cumulative[s]?.count ?? 0, allocatedBytes: cumulative[s]?.allocated ?? 0,
                        caches: live[s]?.cacheNames ?? [])
        }
        func key(_ r: CallSiteRow) -> Int {
            switch sort {
            case .objects, .activeObjects: return r.liveObjects
            case .slabs, .activeSlabs: return r.allocations
            default: return r.liveBytes
            }
        }
        if sort == .name { return rows.sorted { $0.name < $1.name } }
        return rows.sorted { key($0) != key($1) ? key($0) > key($1) : ($0.allocatedBytes != $1.allocatedBytes ? $0.allocatedBytes > $1.allocatedBytes : $0.name < $1.name) }
    }

    /// The column a sort key orders the table by.
    public static func sortLabel(_ sort: SlabSort) -> String {
        switch sort {
        case .objects, .activeObjects: return "LIVE"
        case .slabs, .activeSlabs: return "ALLOCS"
        case .name: return "SITE"
        default: return "LIVE BYTES"
        }
    }

    /// Whether the site or one of its caches contains `search`, ignoring case.
    public func matches(_ search: String) -> Bool {
        guard !search.isEmpty else { return false }
        let s = search.lowercased()
        return name.lowercased().contains(s) || caches.contains { $0.lowercased().contains(s) }
    }

    /// The row as the table prints it.
    public var line: String {
        pad(String(liveObjects), 6) + " " + pad(ByteSize.format(UInt64(liveBytes)), 9) + " " + pad(String(allocations), 7) + " "
            + pad(ByteSize.format(UInt64(allocatedBytes)), 10) + " " + padRight(name, 28) + " " + caches.prefix(3).joined(separator: ",")
    }
}
