import HeapModel

/// The slab panel's call-site mode (`w`): live objects and bytes by call site, cumulative counts,
/// and the caches each site uses; the selected site's pages light up on the page map.
public struct CallSiteTableWidget: StatefulWidget {
    /// The rows as shown.
    public let rows: [CallSiteRow]
    /// The selected site's call chain (drawn when the table has focus).
    public let chain: [String]
    /// The sort in effect.
    public let sort: SlabSort
    /// The search in effect (empty for none), and whether the rows are only its matches.
    public let search: String, filtered: Bool
    /// The panel has focus.
    public let focused: Bool
    /// Colours.
    public let theme: Theme

    /// A call-site table of `rows`.
    public init(rows: [CallSiteRow], chain: [String] = [], sort: SlabSort, search: String = "", filtered: Bool = false,
                focused: Bool, theme: Theme) {
        self.rows = rows
        self.chain = chain
        self.sort = sort
        self.search = search
        self.filtered = filtered
        self.focused = focused
        self.theme = theme
    }

    /// The header line.
    public static let header = "  LIVE LIVE BYTES  ALLOCS ALLOC BYTES CALL SITE                    CACHES"

    /// Draws into `area`, scrolling `state` so that its selected row is in view.
    public func render(area: Rect, buffer: inout CellBuffer, state: inout TableState) {
        let live = rows.reduce(0) { $0 + $1.liveBytes }
        var title = "Call sites — \(rows.filter { $0.liveObjects > 0 }.count) holding \(ByteSize.format(UInt64(live)))"
        if !search.isEmpty {
            title = "Call sites — /\(search): \(rows.filter { $0.matches(search) }.count) matches"
                + (filtered ? " (filtered)" : "")
        }
        buffer.box(area, title: title + ", sorted by \(CallSiteRow.sortLabel(sort))",
                   style: focused ? theme.focusedBorder : theme.border)
        let inner = area.inner
        buffer.put(Self.header, x: inner.x, y: inner.y, style: theme.header, clip: inner)
        // The selected site's call chain (perf script -g) takes the panel's lower part, up to half.
        let chain = focused ? Array(chain.prefix(max(0, (inner.height - 1) / 2))) : []
        let visible = max(0, inner.height - 1 - chain.count)
        for (k, line) in chain.enumerated() {
            buffer.put(line, x: inner.x, y: inner.y + 1 + visible + k, style: k == 0 ? theme.header : theme.muted, clip: inner)
        }
        let selected = state.scroll(count: rows.count, visible: visible)
        for (k, row) in rows.dropFirst(state.offset).prefix(visible).enumerated() {
            let isSelected = state.offset + k == selected && focused
            let plain = row.matches(search) ? CellStyle(bold: true, underline: true) : (row.liveObjects == 0 ? theme.muted : .plain)
            buffer.put(row.line, x: inner.x, y: inner.y + 1 + k, style: isSelected ? theme.selection : plain, clip: inner)
        }
    }
}
