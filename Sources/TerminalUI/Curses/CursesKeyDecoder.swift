/// The numbers ncurses reads input with: `wget_wch`'s results, the `KEY_*` codes memtop answers
/// and the mouse's button bits.
///
/// TerminalUI does not import ncurses, so `NcursesBackend` fills this from `<curses.h>` (each
/// field is the C constant of the same name) and a test fills it with the same values by hand.
public struct CursesKeyCodes: Hashable, Sendable {
    /// `OK` and `KEY_CODE_YES`: `wget_wch` stored a character, or a `KEY_*` code. Any other
    /// result (`ERR`: the timeout passed) is no key.
    public var ok: Int32, keyCodeYes: Int32
    /// `KEY_UP`, `KEY_DOWN`, `KEY_LEFT`, `KEY_RIGHT`.
    public var up: Int32, down: Int32, left: Int32, right: Int32
    /// `KEY_PPAGE`, `KEY_NPAGE`, `KEY_HOME`, `KEY_END`.
    public var pageUp: Int32, pageDown: Int32, home: Int32, end: Int32
    /// `KEY_BTAB` (Shift-Tab) and `KEY_ENTER` (the keypad's Enter).
    public var backTab: Int32, enter: Int32
    /// `KEY_F0`: function key n is `KEY_F0 + n` (the `KEY_F(n)` macro).
    public var f0: Int32
    /// `KEY_RESIZE` (the terminal changed size) and `KEY_MOUSE` (getmouse has an event).
    public var resize: Int32, mouse: Int32
    /// `BUTTON1_PRESSED` and `BUTTON1_CLICKED`: a click; `BUTTON4_PRESSED` and
    /// `BUTTON5_PRESSED`: the wheel up and down.
    public var button1Pressed: UInt32, button1Clicked: UInt32, button4Pressed: UInt32, button5Pressed: UInt32

    /// A table of these values (see each property for the constant it holds).
    public init(ok: Int32, keyCodeYes: Int32, up: Int32, down: Int32, left: Int32, right: Int32, pageUp: Int32, pageDown: Int32,
                home: Int32, end: Int32, backTab: Int32, enter: Int32, f0: Int32, resize: Int32, mouse: Int32,
                button1Pressed: UInt32, button1Clicked: UInt32, button4Pressed: UInt32, button5Pressed: UInt32) {
        self.ok = ok
        self.keyCodeYes = keyCodeYes
        (self.up, self.down, self.left, self.right) = (up, down, left, right)
        (self.pageUp, self.pageDown, self.home, self.end) = (pageUp, pageDown, home, end)
        (self.backTab, self.enter, self.f0, self.resize, self.mouse) = (backTab, enter, f0, resize, mouse)
        (self.button1Pressed, self.button1Clicked) = (button1Pressed, button1Clicked)
        (self.button4Pressed, self.button5Pressed) = (button4Pressed, button5Pressed)
    }
}

/// Turns what `wget_wch` and `getmouse` return into ``Key`` values.
///
/// ncurses, with `keypad` on, already turns the terminal's escape sequences into `KEY_*` codes;
/// an Esc alone arrives as character 27 once `ESCDELAY` (25 ms here) passes with nothing after
/// it. An Alt chord (Esc, then a character within the delay) is not composed: it decodes as
/// ``Key/escape`` and then the character, as two keys.
public struct CursesKeyDecoder: Sendable {
    /// The numbers decoded.
    public let codes: CursesKeyCodes

    /// A decoder for `codes`.
    public init(codes: CursesKeyCodes) { self.codes = codes }

    /// The key `wget_wch`'s `result` and `code` make; `mouse` is called for `KEY_MOUSE` (getmouse).
    /// - Returns: nil for a timeout, a `KEY_*` code or mouse event memtop does not use, and a
    ///   code that is no Unicode scalar.
    public func key(result: Int32, code: UInt32, mouse: () -> CursesMouseEvent?) -> Key? {
        if result == codes.keyCodeYes { return keyCode(Int32(truncatingIfNeeded: code), mouse: mouse) }
        guard result == codes.ok else { return nil }
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 3: return .interrupt
        default:
            guard let scalar = Unicode.Scalar(code) else { return nil }
            return .char(Character(scalar))
        }
    }

    /// The key of a `KEY_*` code.
    func keyCode(_ code: Int32, mouse: () -> CursesMouseEvent?) -> Key? {
        let c = codes
        switch code {
        case c.up: return .up
        case c.down: return .down
        case c.left: return .left
        case c.right: return .right
        case c.pageUp: return .pageUp
        case c.pageDown: return .pageDown
        case c.home: return .home
        case c.end: return .end
        case c.backTab: return .backTab
        case c.enter: return .enter
        case c.resize: return .resize
        case c.mouse: return mouse().flatMap(self.mouse)
        default:
            let f = code - c.f0
            return f >= 1 && f <= 12 ? .function(Int(f)) : nil
        }
    }

    /// The key of a mouse event: the wheel first (a wheel event may carry other bits), then a
    /// press or click of the first button; nil for anything else (releases, other buttons, moves).
    public func mouse(_ event: CursesMouseEvent) -> Key? {
        let (x, y) = (Int(event.x), Int(event.y))
        if event.buttons & codes.button4Pressed != 0 { return .wheelUp(x: x, y: y) }
        if event.buttons & codes.button5Pressed != 0 { return .wheelDown(x: x, y: y) }
        if event.buttons & (codes.button1Pressed | codes.button1Clicked) != 0 { return .click(x: x, y: y) }
        return nil
    }
}
