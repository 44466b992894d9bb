/// A key or mouse action, decoded by the backend.
public enum Key: Hashable, Sendable {
    /// A printable character.
    case char(Character)
    /// Arrow keys.
    case up, down, left, right
    /// Paging and jumps.
    case pageUp, pageDown, home, end
    /// Focus movement.
    case tab, backTab
    /// Enter and Escape.
    case enter, escape
    /// Function key n (F1 ... F12).
    case function(Int)
    /// The terminal changed size.
    case resize
    /// A mouse click at a screen position.
    case click(x: Int, y: Int)
    /// The mouse wheel.
    case wheelUp(x: Int, y: Int), wheelDown(x: Int, y: Int)
    /// Ctrl-C (when the terminal delivers it as a key).
    case interrupt
}

/// What the run loop must do after a key.
public struct Reaction: OptionSet, Hashable, Sendable {
    /// Raw bits.
    public let rawValue: UInt8
    /// Wraps raw bits.
    public init(rawValue: UInt8) { self.rawValue = rawValue }
    /// Draw again.
    public static let redraw = Reaction(rawValue: 1)
    /// Perform one operation of the source.
    public static let step = Reaction(rawValue: 2)
    /// Leave.
    public static let quit = Reaction(rawValue: 4)
    /// Export the screen (teacher's slides; later issue).
    public static let export = Reaction(rawValue: 8)
    /// Move in time: see ``ViewState/seek``.
    public static let seek = Reaction(rawValue: 16)
    /// Nothing.
    public static let none: Reaction = []
}
