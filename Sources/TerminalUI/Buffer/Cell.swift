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
