import MemtopTestSupport
import TerminalUI
import Testing

/// `NcursesBackend`'s input: what `wget_wch` and `getmouse` return, decoded into keys through the
/// ncurses seam, with ``CursesRecorder`` in place of ncurses (ncurses 6.4's numbers).
@Suite("Curses key decoding")
struct CursesKeyDecoderTests {
    typealias Codes = CursesKeyCodes
    static let codes = CursesRecorder.codes

    /// Reads keys from `recorder` until its input is used up.
    static func keys(_ recorder: CursesRecorder) -> [Key?] {
        var backend = recorder.backend()
        var keys: [Key?] = []
        while !recorder.input.isEmpty { keys.append(backend.readKey(timeoutMilliseconds: 16)) }
        return keys
    }

    @Test("Arrows, paging, Home, End, Shift-Tab and the keypad's Enter", arguments: [
        (CursesRecorder.codes.up, Key.up), (CursesRecorder.codes.down, .down), (CursesRecorder.codes.left, .left), (CursesRecorder.codes.right, .right),
        (CursesRecorder.codes.pageUp, .pageUp), (CursesRecorder.codes.pageDown, .pageDown), (CursesRecorder.codes.home, .home), (CursesRecorder.codes.end, .end),
        (CursesRecorder.codes.backTab, .backTab), (CursesRecorder.codes.enter, .enter), (CursesRecorder.codes.resize, .resize),
    ])
    func keyCodes(code: Int32, key: Key) {
        let recorder = CursesRecorder()
        recorder.press(keyCode: code)
        #expect(Self.keys(recorder) == [key])
        #expect(recorder.calls == [.read(timeout: 16)], "one wget_wch, with the timeout asked for")
    }

    @Test("F1 to F12 are KEY_F0 + n; F0, F13 and codes memtop does not use (KEY_DC) are no key")
    func functionKeys() {
        let recorder = CursesRecorder()
        for n in 0...13 { recorder.press(keyCode: Self.codes.f0 + Int32(n)) }
        recorder.press(keyCode: 0o512)   // KEY_DC
        #expect(Self.keys(recorder) == [nil] + (1...12).map { Key.function($0) } + [nil, nil])
    }

    @Test("Characters: text and wide characters as typed; Tab, Enter (LF or CR), Esc and Ctrl-C by name; Backspace as DEL")
    func characters() {
        let recorder = CursesRecorder()
        recorder.type("q/é€\t\n\r\u{1b}\u{3}\u{7f}")
        #expect(Self.keys(recorder) == [.char("q"), .char("/"), .char("é"), .char("€"), .tab, .enter, .enter, .escape, .interrupt,
                                        .char("\u{7f}")])
    }

    @Test("A timeout (ERR) and a code that is no Unicode scalar are no key")
    func nothing() {
        let recorder = CursesRecorder()
        recorder.wait()
        recorder.input.append((Self.codes.ok, 0xD800))
        #expect(Self.keys(recorder) == [nil, nil])
        #expect(CursesKeyDecoder(codes: Self.codes).key(result: 12345, code: 65, mouse: { nil }) == nil, "an unknown result is no key")
    }

    @Test("Esc alone is Escape; Alt-x (Esc, then x within the delay) is two keys, Escape then x; an arrow comes as its KEY_ code")
    func escapeAndAlt() {
        let recorder = CursesRecorder()
        recorder.type("\u{1b}")
        recorder.wait()
        recorder.type("\u{1b}x")
        recorder.press(keyCode: Self.codes.up)
        #expect(Self.keys(recorder) == [.escape, nil, .escape, .char("x"), .up])
    }

    @Test("Mouse: button 1 pressed or clicked is a click, buttons 4 and 5 the wheel; a release, a move or a failed getmouse is no key")
    func mouse() {
        let recorder = CursesRecorder()
        let c = Self.codes
        recorder.mouse(CursesMouseEvent(x: 7, y: 5, buttons: c.button1Pressed))
        recorder.mouse(CursesMouseEvent(x: 8, y: 6, buttons: c.button1Clicked))
        recorder.mouse(CursesMouseEvent(x: 1, y: 2, buttons: c.button4Pressed))
        recorder.mouse(CursesMouseEvent(x: 3, y: 4, buttons: c.button5Pressed))
        recorder.mouse(CursesMouseEvent(x: 9, y: 9, buttons: c.button4Pressed | c.button1Pressed))
        recorder.mouse(CursesMouseEvent(x: 7, y: 5, buttons: 0x1))      // BUTTON1_RELEASED
        recorder.mouse(CursesMouseEvent(x: 7, y: 5, buttons: 0x800_0000))   // REPORT_MOUSE_POSITION
        recorder.mouse(nil)
        #expect(Self.keys(recorder) == [.click(x: 7, y: 5), .click(x: 8, y: 6), .wheelUp(x: 1, y: 2), .wheelDown(x: 3, y: 4),
                                        .wheelUp(x: 9, y: 9), nil, nil, nil])
        #expect(recorder.calls.filter { $0 == .getMouse }.count == 8, "getmouse once per KEY_MOUSE")
    }

    @Test("A resize makes the next frame draw whole: erase, then every row")
    func resize() {
        let recorder = CursesRecorder(width: 4, height: 2)
        var backend = recorder.backend(colorMode: .monochrome)
        let buffer = CellBuffer(width: 4, height: 2)
        backend.draw(buffer)
        backend.draw(buffer)
        recorder.calls = []
        recorder.press(keyCode: Self.codes.resize)
        #expect(backend.readKey(timeoutMilliseconds: -1) == .resize)
        #expect(backend.size.width == 4 && backend.size.height == 2)
        backend.draw(buffer)
        #expect(recorder.calls == [.read(timeout: -1), .erase, .style(.plain, 0), .add(y: 0, x: 0, "    "),
                                   .style(.plain, 0), .add(y: 1, x: 0, "   "), .refresh])
    }
}
