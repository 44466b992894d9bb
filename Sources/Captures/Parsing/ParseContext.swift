/// The shared mechanics of the parsers: splitting text into lines, reading numbers, and building
/// errors that name the file and line.
struct ParseContext {
    /// The file label errors carry.
    let file: String

    /// Splits `text` into lines: `\n` ends a line, a `\r` before it is dropped, and the empty piece
    /// after a final `\n` is not a line.
    ///
    /// - Complexity: O(n) in the length of `text`.
    static func lines(_ text: String) -> [TextLine] {
        // Split on the bytes: a Character split would see "\r\n" as one character (no line end)
        // and costs a grapheme break per character. Cut at ASCII bytes, the pieces stay valid text.
        var pieces = Substring(text).pieces(omittingEmpty: false) { $0 == UInt8(ascii: "\n") }
        if pieces.last?.isEmpty == true { pieces.removeLast() }
        return pieces.enumerated().map { index, piece in
            TextLine(number: index + 1, text: piece.utf8.last == UInt8(ascii: "\r") ? Substring(piece.utf8.dropLast()) : piece)
        }
    }

    /// The error for `line`: expected `expected`, found the line's text (quoted, shortened).
    func failure(_ line: TextLine, expected: String) -> CaptureError {
        CaptureError(file: file, line: line.number, expected: expected, found: Self.quote(line.text))
    }

    /// The error for a field of `line`: expected `expected`, found `token`.
    func failure(_ line: TextLine, expected: String, token: Substring) -> CaptureError {
        CaptureError(file: file, line: line.number, expected: expected, found: Self.quote(token))
    }

    /// The error for text that stopped before `expected` appeared.
    func endOfFile(expected: String, lineCount: Int) -> CaptureError {
        CaptureError(file: file, line: lineCount + 1, expected: expected, found: "end of file")
    }

    /// A non-negative decimal number, or an error naming `what` (built only for the error).
    func count(_ token: Substring, _ what: @autoclosure () -> String, on line: TextLine) throws(CaptureError) -> Int {
        guard let value = Int(token), value >= 0 else {
            throw failure(line, expected: "a non-negative number for \(what())", token: token)
        }
        return value
    }

    /// A decimal number that may be negative, or an error naming `what`.
    func signed(_ token: Substring, _ what: @autoclosure () -> String, on line: TextLine) throws(CaptureError) -> Int {
        guard let value = Int(token) else {
            throw failure(line, expected: "a number for \(what())", token: token)
        }
        return value
    }

    /// A hexadecimal number written with a `0x` prefix, or an error naming `what`.
    func hex(_ token: Substring, _ what: @autoclosure () -> String, on line: TextLine) throws(CaptureError) -> UInt64 {
        // The prefix is tested and cut as bytes (by characters it cost more than the number).
        let bytes = token.utf8
        guard bytes.starts(with: "0x".utf8), let value = UInt64(Substring(bytes.dropFirst(2)), radix: 16) else {
            throw failure(line, expected: "a 0x-prefixed hexadecimal \(what())", token: token)
        }
        return value
    }

    /// Requires `token` to be exactly `word`.
    func expect(_ token: Substring, _ word: String, on line: TextLine) throws(CaptureError) {
        guard token == word else { throw failure(line, expected: "\"\(word)\"", token: token) }
    }

    /// `"text"`, cut to 80 characters with an ellipsis, for error messages.
    static func quote(_ text: Substring) -> String {
        let shown = text.count > 80 ? text.prefix(77) + "..." : text
        return "\"" + shown + "\""
    }
}
