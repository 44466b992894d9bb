import HeapModel

/// The latest events, narration and violations, newest at the bottom.
public struct EventLogWidget: Widget {
    /// The latest lines, oldest first.
    public let log: [LogLine]
    /// What a step is (`line` or `op`), for the title.
    public let counter: String
    /// Lines scrolled back from the newest.
    public let scrollBack: Int
    /// The panel has focus.
    public let focused: Bool
    /// Colours.
    public let theme: Theme

    /// An event log of `log`, scrolled back `scrollBack` lines.
    public init(log: [LogLine], counter: String, scrollBack: Int = 0, focused: Bool, theme: Theme) {
        self.log = log
        self.counter = counter
        self.scrollBack = scrollBack
        self.focused = focused
        self.theme = theme
    }

    /// Draws into `area`.
    public func render(area: Rect, buffer: inout CellBuffer) {
        let violations = Set(log.filter { $0.kind == .violation }.compactMap(\.sequence)).count
        let by = counter == "line" ? " by trace line" : " by operation"
        buffer.box(area, title: "Events" + by + (violations > 0 ? " — \(violations) violation\(violations == 1 ? "" : "s")" : ""),
                   style: focused ? theme.focusedBorder : theme.border)
        let inner = area.inner
        let end = max(0, log.count - scrollBack)
        let lines = log[max(0, end - inner.height)..<end]
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
