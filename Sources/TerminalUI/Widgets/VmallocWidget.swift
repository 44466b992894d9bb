import HeapModel

/// The vmalloc range: busy areas, their guard pages and the lazily freed areas awaiting purge,
/// along the used part of the range.
public struct VmallocWidget: Widget {
    /// The range, with the selected area when the panel has focus.
    public let vmap: VmallocStatistics
    /// The panel has focus.
    public let focused: Bool
    /// Colours.
    public let theme: Theme

    /// A vmalloc panel of `vmap`.
    public init(_ vmap: VmallocStatistics, focused: Bool, theme: Theme) {
        self.vmap = vmap
        self.focused = focused
        self.theme = theme
    }

    /// Draws into `area`.
    public func render(area: Rect, buffer: inout CellBuffer) {
        let busy = vmap.areas.filter { !$0.isLazilyFreed }
        let lazy = vmap.areas.count - busy.count
        buffer.box(area, title: "Vmalloc — \(busy.count) areas, \(lazy) awaiting purge (\(vmap.lazyPages)/\(vmap.lazyMaxPages) lazy pages)",
                   style: focused ? theme.focusedBorder : theme.border)
        let inner = area.inner
        guard inner.height >= 2, inner.width > 0 else { return }
        let base = vmap.start.rawValue
        let span = max(UInt64(Page.size), (vmap.areas.last?.end ?? vmap.start).rawValue - base)
        let cells = inner.width * (inner.height - 1)
        let bytesPerCell = max(UInt64(1), (span + UInt64(cells) - 1) / UInt64(cells))
        var kinds = [UInt8](repeating: 0, count: cells)   // 0 free, 1 busy, 2 guard, 3 lazy
        for area in vmap.areas {
            let first = Int((area.start.rawValue - base) / bytesPerCell)
            let last = Int((area.end.rawValue - 1 - base) / bytesPerCell)
            let guardCell = Int((area.end.rawValue - UInt64(Page.size) - base) / bytesPerCell)
            for c in first...min(last, cells - 1) {
                let k: UInt8 = area.isLazilyFreed ? 3 : (c == guardCell && c != first ? 2 : 1)
                if k > kinds[c] || kinds[c] == 2 { kinds[c] = k }
            }
        }
        let colors: [TermColor] = theme.mode == .monochrome ? [.standard, .standard, .standard, .standard]
            : [.standard, theme.color(.vmalloc), theme.mode == .full256 ? .palette(196) : .palette(1), .palette(3)]
        let glyphs: [Unicode.Scalar] = ["·", "█", "▌", "▒"]
        // The selected area (when the panel has focus) in reverse video, and described in the legend line.
        let selected = vmap.selected.map { vmap.areas[$0] }
        let chosen = selected.map { Int(($0.start.rawValue - base) / bytesPerCell)...min(cells - 1, Int(($0.end.rawValue - 1 - base) / bytesPerCell)) }
        for (i, k) in kinds.enumerated() {
            var style = k == 0 ? theme.muted : CellStyle(fg: colors[Int(k)])
            if chosen?.contains(i) == true { style = theme.selection }
            buffer.set(inner.x + i % inner.width, inner.y + i / inner.width, Cell(glyphs[Int(k)], style: style), clip: inner)
        }
        var legend = "█ busy  ▌ guard  ▒ lazily freed  · free   span \(ByteSize.format(span)) from \(vmap.start)"
        if let a = selected {
            let k = (vmap.selected ?? 0) + 1
            legend = "\(k)/\(vmap.areas.count) \(a.start) \(ByteSize.format(UInt64(a.requested))) by "
                + "\(vmap.selectedCaller), \(a.pages.count) pages" + (a.isLazilyFreed ? ", freed" : "") + " (lit on the map)"
        }
        buffer.put(legend, x: inner.x, y: inner.y + inner.height - 1, style: theme.muted, clip: inner)
    }
}
