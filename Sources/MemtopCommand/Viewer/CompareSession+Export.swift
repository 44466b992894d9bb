import TerminalUI

extension CompareSession {
    /// `e`: writes one picture of both sides, as drawn now with the differences marked, to
    /// `memtop-compare-LEFT-vs-RIGHT-EVENT.svg` and `.txt` in ``exportDirectory``, and says so in
    /// both logs.
    mutating func exportScreen() {
        let (width, height) = lastSize ?? (2 * 160, 50)
        var copy = self
        copy.left.theme = Theme(mode: .full256, projector: left.theme.projector)
        copy.right.theme = Theme(mode: .full256, projector: right.theme.projector)
        let buffer = copy.render(width: width, height: height)
        let base = exportDirectory + "/memtop-compare-" + Self.fileName(left.status.source) + "-vs-"
            + Self.fileName(right.status.source) + "-\(left.status.step)"
        let title = "memtop compare — \(left.status.source) vs \(right.status.source)"
        let line: LogLine
        do {
            try Export.write(buffer, machine: left.machine, title: title, to: base + ".svg")
            try Export.write(buffer, machine: left.machine, title: title, to: base + ".txt")
            exported = [base + ".svg", base + ".txt"]
            line = LogLine(kind: .narration, text: "exported both sides to \(base).svg and \(base).txt")
        } catch {
            line = LogLine(kind: .warning, text: "export failed: \(error)")
        }
        left.events.append(line)
        right.events.append(line)
    }

    /// A source's name as a file name: its last path component, characters other than letters,
    /// digits, `.`, `-` and `_` as `_`.
    static func fileName(_ source: String) -> String {
        let last = source.split(separator: "/").last.map(String.init) ?? "screen"
        let scalars = last.unicodeScalars.map { s -> Character in
            let ok = (s >= "a" && s <= "z") || (s >= "A" && s <= "Z") || (s >= "0" && s <= "9") || s == "." || s == "-" || s == "_"
            return ok ? Character(s) : "_"
        }
        return scalars.isEmpty ? "screen" : String(scalars)
    }
}
