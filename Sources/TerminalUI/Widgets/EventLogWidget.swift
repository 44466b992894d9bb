import HeapModel

/// The latest events, narration and violations, newest at the bottom.
public struct EventLogWidget {
    /// What to draw.
    public let snapshot: FrameSnapshot
    /// Colours.
    public let theme: Theme

    /// An event log widget.
    public init(snapshot: FrameSnapshot, theme: Theme) {
        self.snapshot = snapshot
        self.theme = theme
    }

    /// Draws into `layout.log`.
    public func render(into buffer: inout CellBuffer, layout: ScreenLayout, state: ViewState) {
        let area = layout.log
        let violations = Set(snapshot.log.filter { $0.kind == .violation }.compactMap(\.sequence)).count
        let by = snapshot.status.counter == "line" ? " by trace line" : " by operation"
        buffer.box(area, title: "Events" + by + (violations > 0 ? " — \(violations) violation\(violations == 1 ? "" : "s")" : ""),
                   style: state.focus == .log ? theme.focusedBorder : theme.border)
        let inner = area.inner
        let end = max(0, snapshot.log.count - state.logScroll)
        let lines = snapshot.log[max(0, end - inner.height)..<end]
        for (k, line) in lines.enumerated() {
            let style: CellStyle
            switch line.kind {
            case .event: style = .plain
            case .narration: style = theme.narration
            case .warning: style = theme.warning
            case .violation: style = theme.alarm
            }
            // The step that made it, the header's own counter; narration has none.
            let prefix = line.step.map { "\($0) " } ?? (line.sequence.map { "#\($0) " } ?? "» ")
            buffer.put(prefix + line.text, x: inner.x, y: inner.y + k, style: style, clip: inner)
        }
    }
}

/// The status bar: source, progress, speed, play state, machine.
public struct StatusBarWidget {
    /// What to draw.
    public let snapshot: FrameSnapshot
    /// Colours.
    public let theme: Theme

    /// A status bar widget.
    public init(snapshot: FrameSnapshot, theme: Theme) {
        self.snapshot = snapshot
        self.theme = theme
    }

    /// Draws into `layout.status`.
    public func render(into buffer: inout CellBuffer, layout: ScreenLayout, state: ViewState) {
        let s = snapshot.status
        let c = snapshot.machine.configuration
        buffer.fill(layout.status, with: Cell(" ", style: theme.statusBar))
        let play = s.finished ? "■ done" : (s.playing ? "▶ \(s.speed)/s" : "❚❚ paused")
        var progress = "\(s.counter) \(s.step)" + (s.total.map { " of \($0)" } ?? "")
        if let entry = state.gotoEntry { progress = "go to event: \(entry)_" }
        if let entry = state.searchEntry { progress = (state.showCallSites ? "search call sites: " : "search caches: ") + "\(entry)_" }
        var fields = ["memtop", s.source, progress, play, "kernel \(c.kernel)", "\(c.cpus) CPUs", "\(ByteSize.format(c.ramBytes)) RAM"]
        let help = "? help  q quit "
        // Whole fields are dropped from the right (machine facts first) until the line fits beside
        // the help; the source name is shortened only when it alone is too long.
        func line() -> String { " " + fields.joined(separator: " │ ") }
        while line().unicodeScalars.count > layout.width - help.count - 1 && fields.count > 4 { fields.removeLast() }
        let room = layout.width - help.count - 1 - (line().unicodeScalars.count - fields[1].unicodeScalars.count)
        if line().unicodeScalars.count > layout.width - help.count - 1 { fields[1] = TextFit.fit(fields[1], width: max(room, 4)) }
        buffer.put(line(), x: 0, y: layout.status.y, style: theme.statusBar, clip: layout.status)
        buffer.put(help, x: layout.width - help.count, y: layout.status.y, style: theme.statusBar, clip: layout.status)
    }
}

/// The key list, over everything else.
public struct HelpOverlay {
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

    /// Draws the overlay centred on the screen.
    public static func render(into buffer: inout CellBuffer, theme: Theme) {
        let width = min(buffer.width - 2, (lines.map(\.count).max() ?? 40) + 4)
        let height = min(buffer.height - 2, lines.count + 2)
        let rect = Rect(x: (buffer.width - width) / 2, y: (buffer.height - height) / 2, width: width, height: height)
        buffer.fill(rect)
        buffer.box(rect, title: "Help", style: theme.focusedBorder)
        for (k, line) in lines.prefix(height - 2).enumerated() {
            buffer.put(line, x: rect.x + 2, y: rect.y + 1 + k, style: k == 0 ? CellStyle(bold: true) : .plain, clip: rect.inner)
        }
    }
}
