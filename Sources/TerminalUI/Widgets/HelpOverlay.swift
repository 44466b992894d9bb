/// The key list, over everything else.
public struct HelpOverlay: Widget {
    /// The lines of the help text.
    public static let lines = [
        "memtop keys",
        "space     pause / play         n or .   one step (in Slabs: . )",
        "p or ,    one step back        Home/End first / last event",
        "g N Enter go to event N        ] / [    next / previous mark",
        "f / F     next / prev fallback x / X    next / prev allocation failure",
        "L         next lost events     G        where the cache grew most",
        "+ / -     faster / slower      Tab      next panel (Shift-Tab back)",
        "arrows    move in the panel    PgUp/Dn  move faster (also hjkl)",
        "z / Z     zoom the page map    i Enter  inspect the page under the cursor",
        "/ text    search (Enter keeps) F3       next match   \\  only the matches",
        "w         call sites / caches  Esc      clear, close, hide narration",
        "{ / }     earlier / later narration     e        export (.svg, .txt)",
        "q  F10    quit                 ?  F1    this help",
        "Slabs panel, slabtop's sort keys:",
        "  a active  b obj/slab  c cache size  l slabs  v active slabs",
        "  n name    o objects   p pages/slab  s obj size  u utilization",
        "Vmalloc panel: arrows select an area, lit on the page map.",
        "Mouse: click selects a page or a cache; the wheel scrolls.",
        "Any key closes this help.",
    ]

    /// Colours.
    public let theme: Theme

    /// The help overlay.
    public init(theme: Theme) { self.theme = theme }

    /// Draws the overlay centred in `area` (the whole screen).
    public func render(area: Rect, buffer: inout CellBuffer) {
        let lines = Self.lines
        let width = min(area.width - 2, (lines.map(\.count).max() ?? 40) + 4)
        let height = min(area.height - 2, lines.count + 2)
        let rect = Rect(x: area.x + (area.width - width) / 2, y: area.y + (area.height - height) / 2, width: width, height: height)
        buffer.fill(rect)
        buffer.box(rect, title: "Help", style: theme.focusedBorder)
        for (k, line) in lines.prefix(height - 2).enumerated() {
            buffer.put(line, x: rect.x + 2, y: rect.y + 1 + k, style: k == 0 ? CellStyle(bold: true) : .plain, clip: rect.inner)
        }
    }
}
