/// A terminal colour: the terminal's default, or an index into the xterm 256-colour palette.
public enum TermColor: Hashable, Sendable {
    /// The terminal's own foreground or background.
    case standard
    /// xterm-256 palette index (0-7 are the basic colours every colour terminal has).
    case palette(UInt8)
}

/// How a cell is drawn.
public struct CellStyle: Hashable, Sendable {
    /// Foreground colour.
    public var fg: TermColor
    /// Background colour.
    public var bg: TermColor
    /// Bold text.
    public var bold: Bool
    /// Reverse video (used for the cursor and selections; readable without colour).
    public var reverse: Bool
    /// Dim text.
    public var dim: Bool
    /// Underlined text.
    public var underline: Bool

    /// A style.
    public init(fg: TermColor = .standard, bg: TermColor = .standard, bold: Bool = false, reverse: Bool = false,
                dim: Bool = false, underline: Bool = false) {
        self.fg = fg
        self.bg = bg
        self.bold = bold
        self.reverse = reverse
        self.dim = dim
        self.underline = underline
    }

    /// The terminal's default look.
    public static let plain = CellStyle()

    /// A one-character code for golden style layers: `.` plain, `b` bold, `r` reverse, `d` dim,
    /// `c` coloured, `R` reverse and coloured, `B` bold and coloured.
    public var code: Character {
        let coloured = fg != .standard || bg != .standard
        switch (reverse, bold, coloured, dim) {
        case (true, _, true, _): return "R"
        case (true, _, false, _): return "r"
        case (false, true, true, _): return "B"
        case (false, true, false, _): return "b"
        case (false, false, true, _): return "c"
        case (false, false, false, true): return "d"
        default: return "."
        }
    }
}

/// One screen position: a character and its style.
public struct Cell: Hashable, Sendable {
    /// What is drawn (one column wide): a single scalar, so that comparing cells is cheap.
    public var char: Unicode.Scalar
    /// How.
    public var style: CellStyle

    /// A cell.
    public init(_ char: Unicode.Scalar = " ", style: CellStyle = .plain) {
        self.char = char
        self.style = style
    }

    /// A blank cell.
    public static let blank = Cell()
}

/// A rectangle of cells.
public struct Rect: Hashable, Sendable {
    /// Left column.
    public var x: Int
    /// Top row.
    public var y: Int
    /// Columns.
    public var width: Int
    /// Rows.
    public var height: Int

    /// A rectangle.
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x
        self.y = y
        self.width = max(0, width)
        self.height = max(0, height)
    }

    /// The area inside a one-cell border.
    public var inner: Rect { Rect(x: x + 1, y: y + 1, width: width - 2, height: height - 2) }

    /// Whether the point lies inside.
    public func contains(x px: Int, y py: Int) -> Bool { px >= x && px < x + width && py >= y && py < y + height }

    /// Splits off `rows` rows from the top: (top, rest).
    public func splitTop(_ rows: Int) -> (Rect, Rect) {
        let r = min(max(rows, 0), height)
        return (Rect(x: x, y: y, width: width, height: r), Rect(x: x, y: y + r, width: width, height: height - r))
    }

    /// Splits off `columns` columns from the left: (left, rest).
    public func splitLeft(_ columns: Int) -> (Rect, Rect) {
        let c = min(max(columns, 0), width)
        return (Rect(x: x, y: y, width: c, height: height), Rect(x: x + c, y: y, width: width - c, height: height))
    }
}
