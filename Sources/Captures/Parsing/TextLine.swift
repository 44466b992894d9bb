/// One line of a capture file: its 1-based number and its text without the line end.
struct TextLine {
    /// The 1-based line number.
    let number: Int
    /// The text, without `\n` (or `\r\n`).
    let text: Substring

    /// The whitespace-separated fields (spaces and tabs; runs count once).
    var fields: [Substring] { text.split(whereSeparator: { $0 == " " || $0 == "\t" }) }

    /// The tab-separated cells, empty ones kept.
    var cells: [Substring] { text.split(separator: "\t", omittingEmptySubsequences: false) }

    /// True when the line holds nothing but spaces and tabs.
    var isBlank: Bool { text.allSatisfy { $0 == " " || $0 == "\t" } }

    /// The text without leading and trailing spaces and tabs.
    var trimmed: Substring {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = text.firstIndex(where: { !isSpace($0) }),
              let last = text.lastIndex(where: { !isSpace($0) }) else { return text[text.endIndex...] }
        return text[first...last]
    }
}
