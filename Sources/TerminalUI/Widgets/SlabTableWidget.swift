import HeapModel

/// slabtop's table with a bar of full / partial / empty slabs per cache.
public struct SlabTableWidget: StatefulWidget {
    /// The rows as shown: sorted, and only the matches when filtering.
    public let rows: [SlabRow]
    /// The sort in effect.
    public let sort: SlabSort
    /// The search in effect (empty for none), and whether the rows are only its matches.
    public let search: String, filtered: Bool
    /// The selected cache's timeline, drawn on the last row when there is room.
    public let timeline: CacheTimeline?
    /// The panel has focus (the selection shows only then).
    public let focused: Bool
    /// Colours.
    public let theme: Theme

    /// A slab table of `rows`.
    public init(rows: [SlabRow], sort: SlabSort, search: String = "", filtered: Bool = false, timeline: CacheTimeline? = nil,
                focused: Bool, theme: Theme) {
        self.rows = rows
        self.sort = sort
        self.search = search
        self.filtered = filtered
        self.timeline = timeline
        self.focused = focused
        self.theme = theme
    }

    /// The header line.
    public static let header = "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME"
    /// The header of the compact table narrow terminals get (the name must stay visible).
    public static let compactHeader = "  OBJS ACTIVE  USE  SLABS CACHE SIZE NAME"
    /// The header of the narrowest table.
    public static let tinyHeader = "  OBJS ACTIVE  USE NAME"

    /// Draws into `area`, scrolling `state` so that its selected row is in view.
    public func render(area: Rect, buffer: inout CellBuffer, state: inout TableState) {
        let used = rows.filter { $0.slabs > 0 }
        let total = used.reduce(0) { $0 + $1.cacheSizeKiB }
        var title = "Slabs — \(used.count) cache\(used.count == 1 ? "" : "s") in use, \(total)K, sorted by \(sort.label)"
        if !search.isEmpty {
            let n = filtered ? rows.count : rows.filter { $0.matches(search) }.count
            // The search first, so that a narrow panel keeps it.
            title = "Slabs — /\(search): \(n) match\(n == 1 ? "" : "es")" + (filtered ? " (filtered)" : "")
                + ", \(total)K, sorted by \(sort.label)"
        }
        buffer.box(area, title: title, style: focused ? theme.focusedBorder : theme.border)
        let inner = area.inner
        let barWidth = inner.width >= 72 ? 10 : 0
        let compact = inner.width < 62, tiny = inner.width < 48
        buffer.put((barWidth > 0 ? String(repeating: " ", count: barWidth + 1) : "")
                   + (tiny ? SlabTableWidget.tinyHeader : compact ? SlabTableWidget.compactHeader : SlabTableWidget.header),
                   x: inner.x, y: inner.y, style: theme.header, clip: inner)
        // The selected cache's timeline takes the last row, when there is room for it.
        let timeline = inner.height >= 6 ? self.timeline : nil
        let visible = max(0, inner.height - 1 - (timeline == nil ? 0 : 1))
        if let t = timeline { drawTimeline(t, into: &buffer, y: inner.y + inner.height - 1, inner: inner) }
        let selected = state.scroll(count: rows.count, visible: visible)
        for (k, row) in rows.dropFirst(state.offset).prefix(visible).enumerated() {
            let y = inner.y + 1 + k
            var x = inner.x
            if barWidth > 0 {
                x = drawBar(row, into: &buffer, x: x, y: y, width: barWidth, clip: inner) + 1
            }
            let isSelected = state.offset + k == selected && focused
            let plain = row.matches(search) ? CellStyle(bold: true, underline: true) : (row.slabs == 0 ? theme.muted : .plain)
            buffer.put(tiny ? row.tinyLine : compact ? row.compactLine : row.slabtopLine, x: x, y: y, style: isSelected ? theme.selection : plain,
                       clip: inner)
        }
    }

    /// `NAME objects ▁▂▄█ 512  slabs ▁▁▂ 8`: the run so far, each line scaled to its own maximum.
    func drawTimeline(_ t: CacheTimeline, into buffer: inout CellBuffer, y: Int, inner: Rect) {
        let maxObjects = t.objects.max() ?? 0, maxSlabs = t.slabs.max() ?? 0
        let fixed = t.name.count + " objects  max \(maxObjects)  slabs  max \(maxSlabs)".count + 2
        let width = max(4, (inner.width - fixed) / 2)
        let text = "\(t.name) objects " + Sparkline.whole(t.objects, width: width, maximum: max(1, maxObjects)) + " max \(maxObjects)"
            + "  slabs " + Sparkline.whole(t.slabs, width: width, maximum: max(1, maxSlabs)) + " max \(maxSlabs)"
        buffer.put(text, x: inner.x, y: y, style: theme.muted, clip: inner)
    }

    /// A bar of full (█), partial (▓) and empty (░) slabs, proportional to the slab count.
    func drawBar(_ row: SlabRow, into buffer: inout CellBuffer, x: Int, y: Int, width: Int, clip: Rect) -> Int {
        guard row.slabs > 0 else { return x + width }
        let f = row.full * width / row.slabs, p = row.partial * width / row.slabs
        let e = min(width - f - p, row.empty > 0 ? max(1, row.empty * width / row.slabs) : 0)
        var col = x
        let color: TermColor = theme.mode == .full256 ? .palette(208) : (theme.mode == .basic8 ? .palette(3) : .standard)
        for _ in 0..<f { buffer.set(col, y, Cell("█", style: CellStyle(fg: color)), clip: clip); col += 1 }
        for _ in 0..<p { buffer.set(col, y, Cell("▓", style: CellStyle(fg: color)), clip: clip); col += 1 }
        for _ in 0..<e { buffer.set(col, y, Cell("░", style: CellStyle(fg: color)), clip: clip); col += 1 }
        return x + width
    }
}
