import TerminalUI

extension ViewerSession {
    /// `e`: writes the screen as it is now to memtop-<source>-<event>.svg and .txt in the current
    /// directory (always in 256 colours, whatever the terminal, so slides look the same).
    mutating func exportScreen() {
        let (width, height) = lastSize ?? (160, 50)
        let buffer = Screen.render(snapshot(), state: state, theme: Theme(mode: .full256, projector: theme.projector),
                                   width: width, height: height).0
        let base = Self.exportBase(source: status.source, step: status.step)
        do {
            try Export.write(buffer, machine: machine, title: "memtop — \(status.source)", to: base + ".svg")
            try Export.write(buffer, machine: machine, title: "memtop — \(status.source)", to: base + ".txt")
            events.append(LogLine(kind: .narration, text: "exported the screen to \(base).svg and \(base).txt"))
        } catch {
            events.append(LogLine(kind: .warning, text: "export failed: \(error)"))
        }
    }

    /// The file name an `e` export starts with: the whole source name (capture.trace.xz, not
    /// capture, so that two traces of one stem never collide) and the event number.
    static func exportBase(source: String, step: Int) -> String {
        let name = source.isEmpty ? "screen" : String(source.map { $0 == "/" || $0 == " " ? "_" : $0 })
        return "memtop-\(name)-\(step)"
    }
}
