/// What the terminal can show.
public enum ColorMode: String, Hashable, Sendable, CaseIterable {
    /// 256 colours (xterm-256color, tmux-256color, screen-256color).
    case full256
    /// The 8 basic colours (screen, xterm, tmux without -256color).
    case basic8
    /// No colour (`NO_COLOR`, or a terminal without colours): glyphs and attributes only.
    case monochrome
}
