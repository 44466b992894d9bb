import CNcurses
import TerminalUI

#if canImport(Glibc)
import Glibc
#endif

/// The only code that talks to ncurses: initialises the terminal, draws changed cells, decodes keys
/// and mouse events, and restores the terminal.
struct NcursesBackend: TerminalBackend {
    private let screen: UnsafeMutablePointer<WINDOW>
    /// The frame diffing and colour pairs, drawing through the ncurses calls of ``calls(_:)``.
    private var renderer: CursesRenderer
    /// The colour mode this terminal supports.
    var colorMode: ColorMode { renderer.colorMode }

    /// Takes over the terminal. Returns nil when there is none or ncurses does not know `TERM`
    /// (newterm reports that; initscr would print and exit).
    init?() {
        // The locale must be UTF-8 for the box and block glyphs; only C.UTF-8 exists on minimal systems.
        if setlocale(LC_ALL, "") == nil || String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" {
            _ = setlocale(LC_ALL, "C.UTF-8")
        }
        // SAFETY: fds 0 and 1 are the terminal (checked by the caller with isatty); the FILE streams
        // live as long as the process.
        guard let output = fdopen(1, "w"), let input = fdopen(0, "r"), newterm(nil, output, input) != nil,
              let scr = cn_stdscr() else { return nil }
        screen = scr
        cbreak()
        noecho()
        keypad(scr, true)
        curs_set(0)
        set_escdelay(25)
        mousemask(cn_ALL_MOUSE_EVENTS(), nil)
        var mode = ColorMode.monochrome
        if has_colors() && getenv("NO_COLOR") == nil {
            start_color()
            use_default_colors()
            mode = cn_colors() >= 256 ? .full256 : .basic8
        }
        renderer = CursesRenderer(calls: NcursesBackend.calls(scr), colorMode: mode, maxPairs: cn_color_pairs())
    }

    /// The real ncurses calls on `screen`, the live stdscr.
    private static func calls(_ screen: UnsafeMutablePointer<WINDOW>) -> CursesCalls {
        CursesCalls(
            erase: { _ = werase(screen) },
            initPair: { _ = init_extended_pair($0, $1, $2) },
            setStyle: { style, pair in
                var a: attr_t = 0
                if style.bold { a |= cn_A_BOLD() }
                if style.reverse { a |= cn_A_REVERSE() }
                if style.dim { a |= cn_A_DIM() }
                if style.underline { a |= cn_A_UNDERLINE() }
                // SAFETY: screen is the live stdscr; pair numbers stay below 32768, so the short
                // argument carries them and no extended-pair pointer is needed.
                _ = wattr_set(screen, a, Int16(truncatingIfNeeded: pair), nil)
            },
            addString: { y, x, text in _ = mvwaddstr(screen, y, x, text) },
            refresh: {
                wnoutrefresh(screen)
                doupdate()
            })
    }

    var size: (width: Int, height: Int) { (Int(getmaxx(screen)), Int(getmaxy(screen))) }

    /// Writes the changed runs of each row (``CursesRenderer/draw(_:)``).
    mutating func draw(_ buffer: CellBuffer) { renderer.draw(buffer) }

    mutating func readKey(timeoutMilliseconds: Int) -> Key? {
        wtimeout(screen, Int32(timeoutMilliseconds))
        var ch: wint_t = 0
        let r = wget_wch(screen, &ch)
        if r == ERR { return nil }
        if r == KEY_CODE_YES {
            switch Int32(ch) {
            case KEY_UP: return .up
            case KEY_DOWN: return .down
            case KEY_LEFT: return .left
            case KEY_RIGHT: return .right
            case KEY_PPAGE: return .pageUp
            case KEY_NPAGE: return .pageDown
            case KEY_HOME: return .home
            case KEY_END: return .end
            case KEY_BTAB: return .backTab
            case KEY_ENTER: return .enter
            case KEY_RESIZE:
                renderer.invalidate()
                return .resize
            case KEY_MOUSE:
                var event = MEVENT()
                guard getmouse(&event) == OK else { return nil }
                if event.bstate & cn_BUTTON4_PRESSED() != 0 { return .wheelUp(x: Int(event.x), y: Int(event.y)) }
                if event.bstate & cn_BUTTON5_PRESSED() != 0 { return .wheelDown(x: Int(event.x), y: Int(event.y)) }
                if event.bstate & (cn_BUTTON1_PRESSED() | cn_BUTTON1_CLICKED()) != 0 { return .click(x: Int(event.x), y: Int(event.y)) }
                return nil
            default:
                let f = Int32(ch) - KEY_F0
                if f >= 1 && f <= 12 { return .function(Int(f)) }
                return nil
            }
        }
        switch ch {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 3: return .interrupt
        default:
            guard let scalar = Unicode.Scalar(UInt32(ch)) else { return nil }
            return .char(Character(scalar))
        }
    }

    mutating func restore() {
        endwin()
    }
}
