/// The ncurses calls a curses backend makes to draw, as a table of functions.
///
/// `NcursesBackend` fills it with the real calls; a test fills it with a recorder and checks what a
/// frame costs without a terminal, the way swift-system routes each system call through a wrapper
/// its mocking driver can trace (`Sources/System/Internals/Mocking.swift`).
public struct CursesCalls {
    /// `werase`: clears the whole screen (before a frame of a new size).
    public var erase: () -> Void
    /// `init_extended_pair(pair, fg, bg)`: defines colour pair `pair` (-1 is the terminal's default colour).
    public var initPair: (_ pair: Int32, _ fg: Int32, _ bg: Int32) -> Void
    /// `wattr_set`: the attributes of `style` (bold, reverse, dim, underline) with colour pair `pair`.
    public var setStyle: (_ style: CellStyle, _ pair: Int32) -> Void
    /// `mvwaddstr(y, x, text)`: writes a run of cells of one style.
    public var addString: (_ y: Int32, _ x: Int32, _ text: String) -> Void
    /// `wnoutrefresh` and `doupdate`: shows what was written.
    public var refresh: () -> Void

    /// A table of the given functions.
    public init(erase: @escaping () -> Void, initPair: @escaping (Int32, Int32, Int32) -> Void,
                setStyle: @escaping (CellStyle, Int32) -> Void, addString: @escaping (Int32, Int32, String) -> Void,
                refresh: @escaping () -> Void) {
        self.erase = erase
        self.initPair = initPair
        self.setStyle = setStyle
        self.addString = addString
        self.refresh = refresh
    }
}
