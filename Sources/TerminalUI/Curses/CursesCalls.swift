/// The ncurses calls a curses backend makes, as a table of functions: drawing, reading input and
/// giving the terminal back.
///
/// `NcursesBackend` fills it with the real calls; a test fills it with a recorder and checks what a
/// frame costs, which keys a run of input codes decodes to and that the terminal is given back
/// once, without a terminal, the way swift-system routes each system call through a wrapper its
/// mocking driver can trace (`Sources/System/Internals/Mocking.swift`).
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
    /// `getmaxx` and `getmaxy` of the screen: its columns and rows now.
    public var size: () -> (width: Int32, height: Int32)
    /// `wtimeout(timeout)` then `wget_wch`: waits up to `timeout` milliseconds (negative: until
    /// input comes) and returns wget_wch's result (`OK`, `KEY_CODE_YES` or `ERR`) and the code it
    /// stored (a character, or a `KEY_*` code).
    public var getWideChar: (_ timeoutMilliseconds: Int32) -> (result: Int32, code: UInt32)
    /// `getmouse`: the mouse event `KEY_MOUSE` announced, or nil when getmouse fails.
    public var getMouse: () -> CursesMouseEvent?
    /// `endwin`: gives the terminal back (shell modes, cursor, main screen, no mouse reports).
    public var end: () -> Void

    /// A table of the given functions. Those left out do nothing: no size, no input (the result
    /// `Int32.min` matches no ncurses result, so it reads as no key), no mouse event.
    public init(erase: @escaping () -> Void, initPair: @escaping (Int32, Int32, Int32) -> Void,
                setStyle: @escaping (CellStyle, Int32) -> Void, addString: @escaping (Int32, Int32, String) -> Void,
                refresh: @escaping () -> Void, size: @escaping () -> (width: Int32, height: Int32) = { (0, 0) },
                getWideChar: @escaping (Int32) -> (result: Int32, code: UInt32) = { _ in (Int32.min, 0) },
                getMouse: @escaping () -> CursesMouseEvent? = { nil }, end: @escaping () -> Void = {}) {
        self.erase = erase
        self.initPair = initPair
        self.setStyle = setStyle
        self.addString = addString
        self.refresh = refresh
        self.size = size
        self.getWideChar = getWideChar
        self.getMouse = getMouse
        self.end = end
    }
}

/// A mouse event as `getmouse` reports it: the cell and the button state bits (`mmask_t`).
public struct CursesMouseEvent: Hashable, Sendable {
    /// The column and row of the pointer.
    public var x: Int32, y: Int32
    /// The `BUTTONn_*` bits of the event.
    public var buttons: UInt32

    /// An event at (`x`, `y`) with `buttons`.
    public init(x: Int32, y: Int32, buttons: UInt32) {
        self.x = x
        self.y = y
        self.buttons = buttons
    }
}
