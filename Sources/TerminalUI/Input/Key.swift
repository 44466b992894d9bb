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
