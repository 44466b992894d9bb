import HeapModel

/// The physical page map: every frame (or group of frames) as a half-block pixel, two pixels per
/// cell vertically, coloured by owner; a cursor that names what it points at.
public struct PageMapWidget: StatefulWidget {
    /// The pixels to draw, sampled for the viewport of the state drawn.
    public let statistics: PageMapStatistics
    /// The panel has focus.
    public let focused: Bool
    /// Colours.
    public let theme: Theme

    /// A page map of `statistics`.
    public init(_ statistics: PageMapStatistics, focused: Bool, theme: Theme) {
        self.statistics = statistics
        self.focused = focused
        self.theme = theme
    }

    /// Draws into `area` (the grid is ``PageMapStatistics/geometry``, sampled for that area), and
    /// keeps the viewport shown in `state` so the map scrolls from there next frame.
    public func render(area: Rect, buffer: inout CellBuffer, state: inout PageMapState) {
        let geometry = statistics.geometry
        state.follow(in: geometry)
        assert(state.offset == statistics.offset, "the page map was sampled for another viewport")
        let offset = statistics.offset, per = statistics.pagesPerPixel
        let cols = geometry.columns, rows = geometry.rows
        let ppc = geometry.pixelsPerCell
        let zoomText = per == 1 ? "1 page/pixel" : "\(per) pages/pixel"
        buffer.box(area, title: "Page map — \(zoomText), \(statistics.frames) frames",
                   style: focused ? theme.focusedBorder : theme.border)
        let inner = area.inner
        drawLegend(into: &buffer, at: inner)
        let pixels = statistics.pixels
        let cursorPixel = (state.cursor - offset) / per
        // The selected call site's (or vmalloc area's) frames, as pixel indices.
        let lit = statistics.lit
        let litStyle = CellStyle(fg: theme.mode == .monochrome ? .standard : .palette(15), bold: true, reverse: theme.mode == .monochrome)
        for r in 0..<rows {
            for c in 0..<cols where ppc == 1 {
                // Projector: one pixel per cell, a full block, easier to see from the back of a room.
                let i = r * cols + c
                let cls = i < pixels.count ? pixels[i] : .absent
                var cell = theme.mode == .monochrome ? Cell(theme.glyph(cls)) : Cell("█", style: CellStyle(fg: theme.color(cls)))
                if lit.contains(i) { cell = Cell("█", style: litStyle) }
                if cursorPixel == i { cell = Cell("@", style: theme.selection) }
                buffer.set(inner.x + c, geometry.gridTop + r, cell, clip: inner)
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
                buffer.set(inner.x + c, geometry.gridTop + r, cell, clip: inner)
            }
        }
        let info = TextFit.fit(statistics.cursorText, width: inner.width)
        buffer.put(info, x: inner.x, y: inner.y + inner.height - 1, style: focused ? CellStyle(bold: true) : .plain,
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
