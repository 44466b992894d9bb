import HeapModel

/// The status bar: source, progress, speed, play state, machine.
public struct StatusBarWidget: Widget {
    /// The run's facts.
    public let status: StatusInfo
    /// The machine's kernel, CPUs and RAM.
    public let configuration: MachineConfiguration
    /// Digits typed after `g`, while entering an event number.
    public let gotoEntry: String?
    /// Text typed after `/`, while entering a search, and whether it searches call sites.
    public let searchEntry: String?, searchingCallSites: Bool
    /// Colours.
    public let theme: Theme

    /// A status bar.
    public init(status: StatusInfo, configuration: MachineConfiguration, gotoEntry: String? = nil, searchEntry: String? = nil,
                searchingCallSites: Bool = false, theme: Theme) {
        self.status = status
        self.configuration = configuration
        self.gotoEntry = gotoEntry
        self.searchEntry = searchEntry
        self.searchingCallSites = searchingCallSites
        self.theme = theme
    }

    /// Draws into `area` (one row).
    public func render(area: Rect, buffer: inout CellBuffer) {
        let s = status
        let c = configuration
        let width = area.width
        buffer.fill(area, with: Cell(" ", style: theme.statusBar))
        let play = s.finished ? "■ done" : (s.playing ? "▶ \(s.speed)/s" : "❚❚ paused")
        var progress = "\(s.counter) \(s.step)" + (s.total.map { " of \($0)" } ?? "")
        if let entry = gotoEntry { progress = "go to event: \(entry)_" }
        if let entry = searchEntry { progress = (searchingCallSites ? "search call sites: " : "search caches: ") + "\(entry)_" }
        var fields = ["memtop", s.source, progress, play, "kernel \(c.kernel)", "\(c.cpus) CPUs", "\(ByteSize.format(c.ramBytes)) RAM"]
        let help = "? help  q quit "
        // Whole fields are dropped from the right (machine facts first) until the line fits beside
        // the help; the source name is shortened only when it alone is too long.
        func line() -> String { " " + fields.joined(separator: " │ ") }
        while line().unicodeScalars.count > width - help.count - 1 && fields.count > 4 { fields.removeLast() }
        let room = width - help.count - 1 - (line().unicodeScalars.count - fields[1].unicodeScalars.count)
        if line().unicodeScalars.count > width - help.count - 1 { fields[1] = TextFit.fit(fields[1], width: max(room, 4)) }
        buffer.put(line(), x: area.x, y: area.y, style: theme.statusBar, clip: area)
        buffer.put(help, x: area.x + width - help.count, y: area.y, style: theme.statusBar, clip: area)
    }
}
