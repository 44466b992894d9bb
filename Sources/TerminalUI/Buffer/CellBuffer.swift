/// An in-memory screen: a grid of cells that widgets draw into and a backend flushes.
///
/// Writes outside the grid (or outside a clip rectangle) are dropped, so a widget given a small
/// area can never draw over its neighbours.
public struct CellBuffer: Hashable, Sendable {
    /// Columns.
    public let width: Int
    /// Rows.
    public let height: Int
    /// Row-major cells.
    public private(set) var cells: [Cell]

    /// A blank buffer.
    public init(width: Int, height: Int) {
        self.width = max(0, width)
        self.height = max(0, height)
        cells = Array(repeating: .blank, count: self.width * self.height)
    }

    /// The whole buffer as a rectangle.
    public var area: Rect { Rect(x: 0, y: 0, width: width, height: height) }

    /// The cell at (x, y).
    public subscript(x: Int, y: Int) -> Cell {
        get { cells[y * width + x] }
        set { if x >= 0 && x < width && y >= 0 && y < height { cells[y * width + x] = newValue } }
    }

    /// Sets one cell if it lies inside `clip` (and the buffer).
    public mutating func set(_ x: Int, _ y: Int, _ cell: Cell, clip: Rect? = nil) {
        if let clip, !clip.contains(x: x, y: y) { return }
        self[x, y] = cell
    }

    /// Writes `text` from (x, y), one character per column, cut at `clip`'s right edge (or the
    /// buffer's). Returns the column after the last character written.
    @discardableResult
    public mutating func put(_ text: String, x: Int, y: Int, style: CellStyle = .plain, clip: Rect? = nil) -> Int {
        let limit = clip.map { $0.x + $0.width } ?? width
        var col = x
        for ch in text.unicodeScalars {
            if col >= limit { break }
            set(col, y, Cell(ch, style: style), clip: clip)
            col += 1
        }
        return col
    }

    /// Fills a rectangle with one cell.
    public mutating func fill(_ rect: Rect, with cell: Cell = .blank) {
        for y in rect.y..<(rect.y + rect.height) { for x in rect.x..<(rect.x + rect.width) { self[x, y] = cell } }
    }

    /// Draws a single-line box around `rect` with a title in its top edge, shortened to fit
    /// (``TextFit/fit(_:width:)``).
    public mutating func box(_ rect: Rect, title: String, style: CellStyle = .plain, titleStyle: CellStyle? = nil) {
        guard rect.width >= 2 && rect.height >= 2 else { return }
        let right = rect.x + rect.width - 1, bottom = rect.y + rect.height - 1
        for x in rect.x...right {
            self[x, rect.y] = Cell("─", style: style)
            self[x, bottom] = Cell("─", style: style)
        }
        for y in rect.y...bottom {
            self[rect.x, y] = Cell("│", style: style)
            self[right, y] = Cell("│", style: style)
        }
        self[rect.x, rect.y] = Cell("┌", style: style)
        self[right, rect.y] = Cell("┐", style: style)
        self[rect.x, bottom] = Cell("└", style: style)
        self[right, bottom] = Cell("┘", style: style)
        if !title.isEmpty && rect.width > 4 {
            // Shortened by clauses and words, never cut mid-word by the corner.
            put(" " + TextFit.fit(title, width: rect.width - 4) + " ", x: rect.x + 1, y: rect.y, style: titleStyle ?? CellStyle(bold: true),
                clip: Rect(x: rect.x + 1, y: rect.y, width: rect.width - 2, height: 1))
        }
    }

    /// The characters of row `y`, trailing spaces kept.
    public func line(_ y: Int) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: cells[(y * width)..<((y + 1) * width)].map(\.char))
        return String(s)
    }

    /// Every row's characters: the glyph layer of a golden screen.
    public var textLines: [String] { (0..<height).map(line) }

    /// Every row's style codes: the style layer of a golden screen.
    public var styleLines: [String] {
        (0..<height).map { y in String(cells[(y * width)..<((y + 1) * width)].map(\.style.code)) }
    }

    /// The whole screen as text, rows joined by newlines, trailing spaces trimmed per row.
    public var text: String {
        textLines.map { line in
            var s = Substring(line)
            while s.last == " " { s = s.dropLast() }
            return String(s)
        }.joined(separator: "\n")
    }
}
