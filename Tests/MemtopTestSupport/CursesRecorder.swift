import TerminalUI

/// A fake ncurses for ``CursesBackend``: records every call of its ``CursesCalls`` table and
/// answers `wget_wch` and `getmouse` from a script, so a test drives a backend (or a whole viewer)
/// without a terminal and checks what it drew, which keys it decoded and that it gave the terminal
/// back once.
public final class CursesRecorder {
    /// One recorded call (or, with ``report(_:)``, a message the caller printed).
    public enum Call: Equatable {
        /// `werase`, `wnoutrefresh`+`doupdate`, `endwin`.
        case erase, refresh, end
        /// `init_extended_pair`.
        case initPair(Int32, Int32, Int32)
        /// `wattr_set`.
        case style(CellStyle, Int32)
        /// `mvwaddstr`.
        case add(y: Int32, x: Int32, String)
        /// `wtimeout` with this timeout, then `wget_wch`.
        case read(timeout: Int32)
        /// `getmouse`.
        case getMouse
        /// A message reported (standard error in memtop).
        case report(String)
    }

    /// ncurses 6.4's numbers (`<curses.h>`, NCURSES_MOUSE_VERSION 2), as memtop's backend passes them.
    public static let codes = CursesKeyCodes(
        ok: 0, keyCodeYes: 0o400, up: 0o403, down: 0o402, left: 0o404, right: 0o405, pageUp: 0o523, pageDown: 0o522,
        home: 0o406, end: 0o550, backTab: 0o541, enter: 0o527, f0: 0o410, resize: 0o632, mouse: 0o631,
        button1Pressed: 0x2, button1Clicked: 0x4, button4Pressed: 0x1_0000, button5Pressed: 0x20_0000)
    /// `ERR`.
    public static let err: Int32 = -1

    /// Every call so far, in order.
    public var calls: [Call] = []
    /// What the next `wget_wch` calls return, in order.
    public var input: [(result: Int32, code: UInt32)] = []
    /// What `wget_wch` returns once ``input`` is used up: `q`, so a viewer quits.
    public var whenDone: (result: Int32, code: UInt32) = (0, UInt32(("q" as Unicode.Scalar).value))
    /// What the next `getmouse` calls return, in order (nil: getmouse fails).
    public var mouseEvents: [CursesMouseEvent?] = []
    /// The screen's size.
    public var size: (width: Int32, height: Int32)

    /// A recorder with a `width` x `height` screen and no input yet.
    public init(width: Int32 = 160, height: Int32 = 50) { size = (width, height) }

    /// Queues the characters of `text`, one `wget_wch` each.
    public func type(_ text: String) { input += text.unicodeScalars.map { (Self.codes.ok, $0.value) } }
    /// Queues a `KEY_*` code.
    public func press(keyCode: Int32) { input.append((Self.codes.keyCodeYes, UInt32(bitPattern: keyCode))) }
    /// Queues `count` timeouts (`ERR`).
    public func wait(_ count: Int = 1) { input += repeatElement((result: Self.err, code: UInt32(0)), count: count) }
    /// Queues a mouse event: `KEY_MOUSE`, then `getmouse` answering `event`.
    public func mouse(_ event: CursesMouseEvent?) {
        press(keyCode: Self.codes.mouse)
        mouseEvents.append(event)
    }
    /// Records a message, as the caller's report function.
    public func report(_ text: String) { calls.append(.report(text)) }

    /// The calls since the last take, forgetting them.
    public func take() -> [Call] {
        defer { calls = [] }
        return calls
    }

    /// How many times `endwin` was called.
    public var ends: Int { calls.filter { $0 == .end }.count }

    /// The calls, recording into this recorder.
    public var table: CursesCalls {
        CursesCalls(erase: { self.calls.append(.erase) },
                    initPair: { self.calls.append(.initPair($0, $1, $2)) },
                    setStyle: { self.calls.append(.style($0, $1)) },
                    addString: { self.calls.append(.add(y: $0, x: $1, $2)) },
                    refresh: { self.calls.append(.refresh) },
                    size: { self.size },
                    getWideChar: { timeout in
                        self.calls.append(.read(timeout: timeout))
                        return self.input.isEmpty ? self.whenDone : self.input.removeFirst()
                    },
                    getMouse: {
                        self.calls.append(.getMouse)
                        return self.mouseEvents.isEmpty ? nil : self.mouseEvents.removeFirst()
                    },
                    end: { self.calls.append(.end) })
    }

    /// A backend over this recorder.
    public func backend(colorMode: ColorMode = .full256, maxPairs: Int32 = 256) -> CursesBackend {
        CursesBackend(calls: table, codes: Self.codes, colorMode: colorMode, maxPairs: maxPairs)
    }
}
