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

/// The slab panel's call-site mode (`w`): live objects and bytes by call site, cumulative counts,
/// and the caches each site uses; the selected site's pages light up on the page map.
public struct CallSiteTableWidget {
    /// What to draw.
    public let snapshot: FrameSnapshot
    /// Colours.
    public let theme: Theme

    /// A call-site table.
    public init(snapshot: FrameSnapshot, theme: Theme) {
        self.snapshot = snapshot
        self.theme = theme
    }

    /// The header line.
    public static let header = "  LIVE LIVE BYTES  ALLOCS ALLOC BYTES CALL SITE                    CACHES"

    /// Draws into `layout.slabs`.
    public func render(into buffer: inout CellBuffer, layout: inout ScreenLayout, state: ViewState) {
        let area = layout.slabs
        let rows = snapshot.callSites
        let live = rows.reduce(0) { $0 + $1.liveBytes }
        var title = "Call sites — \(rows.filter { $0.liveObjects > 0 }.count) holding \(ByteSize.format(UInt64(live)))"
        if !state.search.isEmpty {
            title = "Call sites — /\(state.search): \(rows.filter { $0.matches(state.search) }.count) matches"
                + (state.filterToSearch ? " (filtered)" : "")
        }
        buffer.box(area, title: title + ", sorted by \(CallSiteRow.sortLabel(state.slabSort))",
                   style: state.focus == .slabs ? theme.focusedBorder : theme.border)
        let inner = area.inner
        buffer.put(Self.header, x: inner.x, y: inner.y, style: theme.header, clip: inner)
        // The selected site's call chain (perf script -g) takes the panel's lower part, up to half.
        var chain: [String] = []
        if state.focus == .slabs, !rows.isEmpty, !snapshot.machine.callStacks.isEmpty {
            chain = snapshot.machine.callChainLines(of: rows[min(max(0, state.slabRow), rows.count - 1)].site, maxFrames: 12)
            chain = Array(chain.prefix(max(0, (inner.height - 1) / 2)))
        }
        let visible = max(0, inner.height - 1 - chain.count)
        for (k, line) in chain.enumerated() {
            buffer.put(line, x: inner.x, y: inner.y + 1 + visible + k, style: k == 0 ? theme.header : theme.muted, clip: inner)
        }
        let selected = layout.scrollSlabs(selected: state.slabRow, count: rows.count, visible: visible)
        for (k, row) in rows.dropFirst(layout.slabScroll).prefix(visible).enumerated() {
            let isSelected = layout.slabScroll + k == selected && state.focus == .slabs
            let plain = row.matches(state.search) ? CellStyle(bold: true, underline: true) : (row.liveObjects == 0 ? theme.muted : .plain)
            buffer.put(row.line, x: inner.x, y: inner.y + 1 + k, style: isSelected ? theme.selection : plain, clip: inner)
        }
    }
}
