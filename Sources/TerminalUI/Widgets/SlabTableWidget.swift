import HeapModel

/// One row of the slab table, with slabtop's numbers.
public struct SlabRow: Hashable, Sendable {
    /// Cache name.
    public let name: String
    /// `num_objs`.
    public let objects: Int
    /// `active_objs`.
    public let active: Int
    /// Slot size in bytes.
    public let objectSize: Int
    /// Slabs.
    public let slabs: Int
    /// Objects per slab.
    public let objectsPerSlab: Int
    /// Pages per slab.
    public let pagesPerSlab: Int
    /// Full, partial and empty slabs.
    public let full: Int, partial: Int, empty: Int

    /// Cache size in KiB, as slabtop computes it.
    public var cacheSizeKiB: Int { slabs * pagesPerSlab * Page.size / 1024 }
    /// Utilization in percent.
    public var use: Int { objects == 0 ? 0 : active * 100 / objects }

    /// The rows of every cache, sorted as slabtop sorts them (descending, name ascending).
    public static func rows(of machine: Machine, sort: SlabSort) -> [SlabRow] {
        let rows = machine.slabCaches.reversed().map { c in
            SlabRow(name: c.name, objects: c.totalObjects, active: c.activeObjects, objectSize: c.geometry.size, slabs: c.slabCount,
                    objectsPerSlab: c.geometry.objectsPerSlab, pagesPerSlab: 1 << c.geometry.order,
                    full: c.fullSlabs, partial: max(0, c.slabCount - c.fullSlabs - c.emptySlabs), empty: c.emptySlabs)
        }
        func key(_ r: SlabRow) -> Int {
            switch sort {
            case .activeObjects: return r.active
            case .objectsPerSlab: return r.objectsPerSlab
            case .cacheSize: return r.cacheSizeKiB
            case .slabs, .activeSlabs: return r.slabs
            case .name: return 0
            case .objects: return r.objects
            case .pagesPerSlab: return r.pagesPerSlab
            case .objectSize: return r.objectSize
            case .utilization: return r.use
            }
        }
        if sort == .name { return rows.sorted { $0.name < $1.name } }
        // Stable: ties keep slabinfo's order.
        return rows.enumerated().sorted { a, b in key(a.element) != key(b.element) ? key(a.element) > key(b.element) : a.offset < b.offset }
            .map(\.element)
    }

    /// Whether the row's name contains `search`, ignoring case (an empty search matches nothing).
    public func matches(_ search: String) -> Bool { !search.isEmpty && name.lowercased().contains(search.lowercased()) }

    /// The rows the table shows for `state`: sorted, and only the matches when filtering.
    public static func shown(of machine: Machine, state: ViewState) -> [SlabRow] {
        let rows = SlabRow.rows(of: machine, sort: state.slabSort)
        return state.filterToSearch && !state.search.isEmpty ? rows.filter { $0.matches(state.search) } : rows
    }

    /// The row a search jump lands on: the first match at (`fromHere`) or after (`next`) `row`,
    /// wrapping; `row` itself when nothing matches. `matches` says which rows match, in table order.
    public static func jump(_ jump: ViewState.SearchJump, from row: Int, in matches: [Bool]) -> Int {
        guard !matches.isEmpty else { return 0 }
        let start = jump == .next ? row + 1 : row
        for k in 0..<matches.count where matches[(start + k) % matches.count] { return (start + k) % matches.count }
        return row
    }

    /// The row as slabtop prints it: `%6u %6u %3u%% %7.2fK %6u %8u %9uK %-23s`.
    public var slabtopLine: String {
        pad(String(objects), 6) + " " + pad(String(active), 6) + " " + pad(String(use), 3) + "% "
            + pad(kibibytes(objectSize), 7) + "K " + pad(String(slabs), 6) + " " + pad(String(objectsPerSlab), 8) + " "
            + pad(String(cacheSizeKiB), 9) + "K " + name
    }

    /// The compact row: objects, active, use, slabs, cache size, name.
    public var compactLine: String {
        pad(String(objects), 6) + " " + pad(String(active), 6) + " " + pad(String(use), 3) + "% " + pad(String(slabs), 6) + " "
            + pad(String(cacheSizeKiB), 9) + "K " + name
    }

    /// The narrowest row: objects, active, use, name.
    public var tinyLine: String {
        pad(String(objects), 6) + " " + pad(String(active), 6) + " " + pad(String(use), 3) + "% " + name
    }

    /// Bytes as KiB with two decimals, rounded to nearest (printf's `%.2f` for these exact binary fractions).
    func kibibytes(_ bytes: Int) -> String {
        let hundredths = (bytes * 100 + 512) / 1024
        return "\(hundredths / 100)." + (hundredths % 100 < 10 ? "0" : "") + "\(hundredths % 100)"
    }
}

/// slabtop's table with a bar of full / partial / empty slabs per cache.
public struct SlabTableWidget {
    /// What to draw.
    public let snapshot: FrameSnapshot
    /// Colours.
    public let theme: Theme

    /// A slab table widget.
    public init(snapshot: FrameSnapshot, theme: Theme) {
        self.snapshot = snapshot
        self.theme = theme
    }

    /// The header line.
    public static let header = "  OBJS ACTIVE  USE OBJ SIZE  SLABS OBJ/SLAB CACHE SIZE NAME"
    /// The header of the compact table narrow terminals get (the name must stay visible).
    public static let compactHeader = "  OBJS ACTIVE  USE  SLABS CACHE SIZE NAME"
    /// The header of the narrowest table.
    public static let tinyHeader = "  OBJS ACTIVE  USE NAME"

    /// Draws into `layout.slabs`.
    public func render(into buffer: inout CellBuffer, layout: inout ScreenLayout, state: ViewState) {
        if state.showCallSites { return CallSiteTableWidget(snapshot: snapshot, theme: theme).render(into: &buffer, layout: &layout, state: state) }
        let area = layout.slabs
        let rows = SlabRow.shown(of: snapshot.machine, state: state)
        let used = rows.filter { $0.slabs > 0 }
        let total = used.reduce(0) { $0 + $1.cacheSizeKiB }
        var title = "Slabs — \(used.count) cache\(used.count == 1 ? "" : "s") in use, \(total)K, sorted by \(state.slabSort.label)"
        if !state.search.isEmpty {
            let n = state.filterToSearch ? rows.count : rows.filter { $0.matches(state.search) }.count
            // The search first, so that a narrow panel keeps it.
            title = "Slabs — /\(state.search): \(n) match\(n == 1 ? "" : "es")" + (state.filterToSearch ? " (filtered)" : "")
                + ", \(total)K, sorted by \(state.slabSort.label)"
        }
        buffer.box(area, title: title, style: state.focus == .slabs ? theme.focusedBorder : theme.border)
        let inner = area.inner
        let barWidth = inner.width >= 72 ? 10 : 0
        let compact = inner.width < 62, tiny = inner.width < 48
        buffer.put((barWidth > 0 ? String(repeating: " ", count: barWidth + 1) : "")
                   + (tiny ? SlabTableWidget.tinyHeader : compact ? SlabTableWidget.compactHeader : SlabTableWidget.header),
                   x: inner.x, y: inner.y, style: theme.header, clip: inner)
        // The selected cache's timeline takes the last row, when there is room for it.
        let timeline = inner.height >= 6 ? snapshot.cacheTimeline : nil
        let visible = max(0, inner.height - 1 - (timeline == nil ? 0 : 1))
        if let t = timeline { drawTimeline(t, into: &buffer, y: inner.y + inner.height - 1, inner: inner) }
        let selected = layout.scrollSlabs(selected: state.slabRow, count: rows.count, visible: visible)
        for (k, row) in rows.dropFirst(layout.slabScroll).prefix(visible).enumerated() {
            let y = inner.y + 1 + k
            var x = inner.x
            if barWidth > 0 {
                x = drawBar(row, into: &buffer, x: x, y: y, width: barWidth, clip: inner) + 1
            }
            let isSelected = layout.slabScroll + k == selected && state.focus == .slabs
            let plain = row.matches(state.search) ? CellStyle(bold: true, underline: true) : (row.slabs == 0 ? theme.muted : .plain)
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
