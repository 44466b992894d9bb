import HeapModel

/// The physical page map: every frame (or group of frames) as a half-block pixel, two pixels per
/// cell vertically, coloured by owner; a cursor that names what it points at.
public struct PageMapWidget {
    /// What to draw.
    public let snapshot: FrameSnapshot
    /// Colours.
    public let theme: Theme

    /// A page map widget.
    public init(snapshot: FrameSnapshot, theme: Theme) {
        self.snapshot = snapshot
        self.theme = theme
    }

    /// Draws into `layout.pageMap`; updates the layout's map offset and zoom for hit-testing.
    public func render(into buffer: inout CellBuffer, layout: inout ScreenLayout, state: ViewState) {
        let area = layout.pageMap
        let machine = snapshot.machine
        let per = state.pagesPerPixel == 0 ? layout.fitPagesPerPixel : state.pagesPerPixel
        let cols = layout.mapColumns, rows = layout.mapRows
        let ppc = layout.pixelsPerCell
        let pagesPerRow = cols * ppc * per
        // Keep the cursor's text row in view.
        var offset = state.pagesPerPixel == 0 ? 0 : layout.mapOffset
        let cursorRow = (state.cursor - offset) / pagesPerRow
        if state.cursor < offset { offset = (state.cursor / pagesPerRow) * pagesPerRow }
        else if cursorRow >= rows { offset = (state.cursor / pagesPerRow - rows + 1) * pagesPerRow }
        offset = max(0, offset)
        layout.mapOffset = offset
        layout.pagesPerPixel = per
        let zoomText = per == 1 ? "1 page/pixel" : "\(per) pages/pixel"
        buffer.box(area, title: "Page map — \(zoomText), \(machine.endPFN) frames",
                   style: state.focus == .pageMap ? theme.focusedBorder : theme.border)
        let inner = area.inner
        drawLegend(into: &buffer, at: inner)
        let pixels = machine.pageMapPixels(from: offset, pixels: cols * rows * ppc, pagesPerPixel: per)
        let cursorPixel = (state.cursor - offset) / per
        // The selected call site's frames, as pixel indices.
        let lit = Set(snapshot.highlight.compactMap { $0 >= offset ? ($0 - offset) / per : nil })
        let litStyle = CellStyle(fg: theme.mode == .monochrome ? .standard : .palette(15), bold: true, reverse: theme.mode == .monochrome)
        for r in 0..<rows {
            for c in 0..<cols where ppc == 1 {
                // Projector: one pixel per cell, a full block, easier to see from the back of a room.
                let i = r * cols + c
                let cls = i < pixels.count ? pixels[i] : .absent
                var cell = theme.mode == .monochrome ? Cell(theme.glyph(cls)) : Cell("█", style: CellStyle(fg: theme.color(cls)))
                if lit.contains(i) { cell = Cell("█", style: litStyle) }
                if cursorPixel == i { cell = Cell("@", style: theme.selection) }
                buffer.set(inner.x + c, layout.gridTop + r, cell, clip: inner)
            }
            for c in 0..<cols where ppc == 2 {
                // Pages run left to right along a pixel row; a text row holds two pixel rows.
                let top = (r * 2) * cols + c, bottom = (r * 2 + 1) * cols + c
                let upper = top < pixels.count ? pixels[top] : .absent
                let lower = bottom < pixels.count ? pixels[bottom] : .absent
                var cell: Cell
                if theme.mode == .monochrome {
                    let shown = upper.weight >= lower.weight ? upper : lower
                    cell = Cell(theme.glyph(shown))
                } else {
                    cell = Cell("▀", style: CellStyle(fg: theme.color(upper), bg: theme.color(lower)))
                }
                if lit.contains(top) || lit.contains(bottom) {
                    // A lit pixel is white; the other half keeps its colour.
                    let white = TermColor.palette(15)
                    cell = theme.mode == .monochrome ? Cell("#", style: litStyle)
                        : Cell("▀", style: CellStyle(fg: lit.contains(top) ? white : theme.color(upper), bg: lit.contains(bottom) ? white : theme.color(lower)))
                }
                if cursorPixel == top || cursorPixel == bottom {
                    cell = theme.mode == .monochrome ? Cell("@", style: theme.selection) : Cell(cursorPixel == top ? "▀" : "▄", style: CellStyle(fg: .palette(15), bg: cell.style.bg))
                }
                buffer.set(inner.x + c, layout.gridTop + r, cell, clip: inner)
            }
        }
        let info = TextFit.fit(machine.describeFrame(state.cursor), width: inner.width)
        buffer.put(info, x: inner.x, y: inner.y + inner.height - 1, style: state.focus == .pageMap ? CellStyle(bold: true) : .plain,
                   clip: inner)
    }

    func drawLegend(into buffer: inout CellBuffer, at inner: Rect) {
        let items: [(PageClass, String)] = [(.free(order: 10), "free"), (.free(order: 0), "free o0"), (.slab(CacheID(rawValue: 0)), "slab"),
                                            (.largeKmalloc, "large kmalloc"), (.vmalloc, "vmalloc"), (.pages, "pages"),
                                            (.outside, "outside"), (.reserved, "reserved")]
        var x = inner.x
        for (cls, name) in items {
            if theme.mode == .monochrome {
                x = buffer.put(String(Character(theme.glyph(cls))) + " " + name + "  ", x: x, y: inner.y, clip: inner)
            } else {
                buffer.set(x, inner.y, Cell("█", style: CellStyle(fg: theme.color(cls))), clip: inner)
                x = buffer.put(" " + name + "  ", x: x + 1, y: inner.y, style: theme.muted, clip: inner)
            }
        }
    }
}
