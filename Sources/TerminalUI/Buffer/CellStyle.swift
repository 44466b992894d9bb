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
