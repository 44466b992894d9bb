import CNcurses
import TerminalUI

#if canImport(Glibc)
import Glibc
#endif

/// The only code that talks to ncurses: takes the terminal over and hands TerminalUI's
/// ``CursesBackend`` the real calls (``CursesCalls``) and constants (``CursesKeyCodes``). What
/// those calls draw and how their input decodes is TerminalUI's, and tested there with a recorder.
enum NcursesBackend {
    /// Takes over the terminal. Returns nil when there is none or ncurses does not know `TERM`
    /// (newterm reports that; initscr would print and exit).
    static func open() -> CursesBackend? {
        // The locale must be UTF-8 for the box and block glyphs; only C.UTF-8 exists on minimal systems.
        if setlocale(LC_ALL, "") == nil || String(cString: nl_langinfo(nl_item(CODESET))) != "UTF-8" {
            _ = setlocale(LC_ALL, "C.UTF-8")
        }
        // SAFETY: fds 0 and 1 are the terminal (checked by the caller with isatty); the FILE streams
        // live as long as the process.
        guard let output = fdopen(1, "w"), let input = fdopen(0, "r"), newterm(nil, output, input) != nil,
              let scr = cn_stdscr() else { return nil }
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
        return CursesBackend(calls: calls(scr), codes: codes, colorMode: mode, maxPairs: cn_color_pairs())
    }

    /// `<curses.h>`'s numbers for the decoder.
    static let codes = CursesKeyCodes(
        ok: OK, keyCodeYes: KEY_CODE_YES, up: KEY_UP, down: KEY_DOWN, left: KEY_LEFT, right: KEY_RIGHT,
        pageUp: KEY_PPAGE, pageDown: KEY_NPAGE, home: KEY_HOME, end: KEY_END, backTab: KEY_BTAB, enter: KEY_ENTER,
        f0: KEY_F0, resize: KEY_RESIZE, mouse: KEY_MOUSE, button1Pressed: cn_BUTTON1_PRESSED(),
        button1Clicked: cn_BUTTON1_CLICKED(), button4Pressed: cn_BUTTON4_PRESSED(), button5Pressed: cn_BUTTON5_PRESSED())

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
            },
            size: { (getmaxx(screen), getmaxy(screen)) },
            getWideChar: { timeout in
                wtimeout(screen, timeout)
                var ch: wint_t = 0
                // SAFETY: ch outlives the call, which stores one wint_t into it.
                let result = wget_wch(screen, &ch)
                return (result, UInt32(ch))
            },
            getMouse: {
                var event = MEVENT()
                guard getmouse(&event) == OK else { return nil }
                return CursesMouseEvent(x: event.x, y: event.y, buttons: UInt32(event.bstate))
            },
            end: { _ = endwin() })
    }
}
