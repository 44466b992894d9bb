/// One line of a capture file: its 1-based number and its text without the line end.
struct TextLine {
    /// The 1-based line number.
    let number: Int
    /// The text, without `\n` (or `\r\n`).
    let text: Substring

    /// The whitespace-separated fields (spaces and tabs; runs count once).
    var fields: [Substring] {
        text.pieces(omittingEmpty: true) { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
    }

    /// The tab-separated cells, empty ones kept.
    var cells: [Substring] { text.pieces(omittingEmpty: false) { $0 == UInt8(ascii: "\t") } }

    /// True when the line holds nothing but spaces and tabs.
    var isBlank: Bool { text.utf8.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") } }

    /// The text without leading and trailing spaces and tabs.
    var trimmed: Substring {
        let bytes = text.utf8
        let isSpace = { (b: UInt8) in b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
        guard let first = bytes.firstIndex(where: { !isSpace($0) }),
              let last = bytes.lastIndex(where: { !isSpace($0) }) else { return text[text.endIndex...] }
        return Substring(bytes[first...last])
    }
}
