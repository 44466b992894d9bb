import TerminalUI

extension ViewerSession {
    /// `e`: writes the screen as it is now to memtop-<source>-<event>.svg and .txt in the current
    /// directory (always in 256 colours, whatever the terminal, so slides look the same).
    mutating func exportScreen() {
        let (width, height) = lastSize ?? (160, 50)
        let buffer = Screen.render(snapshot(), state: state, theme: Theme(mode: .full256, projector: theme.projector),
                                   width: width, height: height).0
        let base = "memtop-\(status.source.split(separator: ".").first ?? "screen")-\(status.step)"
        do {
            try Export.write(buffer, machine: machine, title: "memtop — \(status.source)", to: base + ".svg")
            try Export.write(buffer, machine: machine, title: "memtop — \(status.source)", to: base + ".txt")
            events.append(LogLine(kind: .narration, text: "exported the screen to \(base).svg and \(base).txt"))
        } catch {
            events.append(LogLine(kind: .warning, text: "export failed: \(error)"))
        }
    }
}
