/// A terminal the run loop can draw on and read keys from. ``CursesBackend`` over the real ncurses
/// calls (which `NcursesBackend` supplies) is the real one; ``TextBackend`` and ``CursesBackend``
/// over a recorder serve tests.
public protocol TerminalBackend {
    /// Current size in columns and rows.
    var size: (width: Int, height: Int) { get }
    /// Shows `buffer`, writing only what changed since the last call.
    mutating func draw(_ buffer: CellBuffer)
    /// The next key, waiting up to `timeoutMilliseconds` (negative: forever); nil on timeout.
    mutating func readKey(timeoutMilliseconds: Int) -> Key?
    /// Gives the terminal back as it was.
    mutating func restore()
}
