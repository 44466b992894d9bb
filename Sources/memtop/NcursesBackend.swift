import CNcurses
import TerminalUI

#if canImport(Glibc)
import Glibc
#endif

/// The only code that talks to ncurses: initialises the terminal, draws changed cells, decodes keys
/// and mouse events, and restores the terminal.
struct NcursesBackend: TerminalBackend {
    private let screen: UnsafeMutablePointer<WINDOW>
    private var previous: CellBuffer?
    private var pairs: [UInt32: Int32] = [:]
    private var nextPair: Int32 = 1
    private let maxPairs: Int32
    /// The colour mode this terminal supports.
    let colorMode: ColorMode

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
        colorMode = mode
        maxPairs = Int32(min(cn_color_pairs(), 32767))
    }

    var size: (width: Int, height: Int) { (Int(getmaxx(screen)), Int(getmaxy(screen))) }

    /// The colour pair for a style's colours, allocated on first use.
    private mutating func pair(for style: CellStyle) -> Int32 {
        guard colorMode != .monochrome else { return 0 }
        func index(_ c: TermColor) -> Int32 {
            switch c {
            case .standard: return -1
            case .palette(let p): return colorMode == .basic8 ? Int32(p < 8 ? p : NcursesBackend.basic(p)) : Int32(p)
            }
        }
        let fg = index(style.fg), bg = index(style.bg)
        if fg == -1 && bg == -1 { return 0 }
        let key = UInt32(bitPattern: (fg & 0xffff) << 16 | (bg & 0xffff))
        if let p = pairs[key] { return p }
        guard nextPair < maxPairs else { return 0 }
        let p = nextPair
        nextPair += 1
        init_extended_pair(p, fg, bg)
        pairs[key] = p
        return p
    }

    /// The nearest basic colour of an xterm-256 index.
    static func basic(_ p: UInt8) -> UInt8 {
        if p < 16 { return p % 8 }
        if p >= 232 { return p < 244 ? 0 : 7 }
        let v = Int(p) - 16
        let r = v / 36, g = (v / 6) % 6, b = v % 6
        return UInt8((r >= 3 ? 1 : 0) | (g >= 3 ? 2 : 0) | (b >= 3 ? 4 : 0))
    }

    private mutating func attributes(_ style: CellStyle) -> attr_t {
        var a: attr_t = 0
        if style.bold { a |= cn_A_BOLD() }
        if style.reverse { a |= cn_A_REVERSE() }
        if style.dim { a |= cn_A_DIM() }
        if style.underline { a |= cn_A_UNDERLINE() }
        return a
    }

    /// Writes the changed runs of each row: cells of one style are written with one call.
    mutating func draw(_ buffer: CellBuffer) {
        let sameSize = previous.map { $0.width == buffer.width && $0.height == buffer.height } ?? false
        if !sameSize { werase(screen) }
        for y in 0..<buffer.height {
            var x = 0
            while x < buffer.width {
                if sameSize, let prev = previous, prev[x, y] == buffer[x, y] { x += 1; continue }
                let style = buffer[x, y].style
                var text = ""
                var end = x
                while end < buffer.width && buffer[end, y].style == style
                    && !(sameSize && previous![end, y] == buffer[end, y] && end > x) {
                    text.unicodeScalars.append(buffer[end, y].char)
                    end += 1
                }
                // The bottom-right cell scrolls some terminals when written; skip it.
                if y == buffer.height - 1 && end == buffer.width { text = String(text.dropLast()) }
                let pairNumber = pair(for: style)
                // SAFETY: screen is the live stdscr; pair numbers stay below 32768, so the short
                // argument carries them and no extended-pair pointer is needed.
                wattr_set(screen, attributes(style), Int16(truncatingIfNeeded: pairNumber), nil)
                mvwaddstr(screen, Int32(y), Int32(x), text)
                x = end
            }
        }
        wnoutrefresh(screen)
        doupdate()
        previous = buffer
    }

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
                previous = nil
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
