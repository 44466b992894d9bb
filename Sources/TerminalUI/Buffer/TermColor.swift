/// A terminal colour: the terminal's default, or an index into the xterm 256-colour palette.
public enum TermColor: Hashable, Sendable {
    /// The terminal's own foreground or background.
    case standard
    /// xterm-256 palette index (0-7 are the basic colours every colour terminal has).
    case palette(UInt8)
}
