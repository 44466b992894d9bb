/// Shortening a line of text to a width without cutting a word in half.
public enum TextFit {
    /// `text` if it fits in `width` characters; otherwise the longest shortening that does, tried
    /// in this order: drop the last parenthetical, drop trailing `, …` clauses, drop trailing
    /// words (with any dangling `—` or `,`), and only for a single word too long, cut it with `…`.
    public static func fit(_ text: String, width: Int) -> String {
        guard width > 0 else { return "" }
        var s = Array(text)
        while s.count > width {
            if let open = lastIndex(of: [" ", "("], in: s), let close = s[open...].firstIndex(of: ")") {
                s.removeSubrange(open...close)
            } else if let comma = lastIndex(of: [",", " "], in: s) {
                s.removeSubrange(comma...)
            } else if let space = s.lastIndex(of: " ") {
                s.removeSubrange(space...)
                while let last = s.last, last == " " || last == "—" || last == "," { s.removeLast() }
            } else {
                return String(s.prefix(width - 1)) + "…"
            }
        }
        return String(s)
    }

    /// `text` broken into lines of at most `width` characters at spaces, as a reader expects: a
    /// word longer than a line is split, a newline in `text` starts a new line, and no line
    /// starts with the space it was broken at.
    public static func wrap(_ text: String, width: Int) -> [String] {
        guard width > 0 else { return [] }
        var lines: [String] = []
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                var word = Substring(word)
                if !line.isEmpty && line.count + 1 + word.count <= width {
                    line += " " + word
                    continue
                }
                if !line.isEmpty { lines.append(line) }
                while word.count > width {
                    lines.append(String(word.prefix(width)))
                    word = word.dropFirst(width)
                }
                line = String(word)
            }
            lines.append(line)
        }
        return lines
    }

    /// Where the last occurrence of `pattern` starts in `s`.
    static func lastIndex(of pattern: [Character], in s: [Character]) -> Int? {
        guard s.count >= pattern.count else { return nil }
        return stride(from: s.count - pattern.count, through: 0, by: -1).first { Array(s[$0..<($0 + pattern.count)]) == pattern }
    }
}
