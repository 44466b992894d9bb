import MemtopTestSupport
import Testing
import TerminalUI

/// `NcursesBackend`'s drawing, through its table of ncurses calls with a recorder in place of ncurses.
@Suite("Curses renderer")
struct CursesRendererTests {
    /// The recorder in place of ncurses (its calls, and `take()` for those since the last take).
    typealias Recorder = CursesRecorder

    static let red = CellStyle(fg: .palette(1))
    static let orange = CellStyle(fg: .palette(208), bg: .palette(17))

    @Test("The first frame erases and writes each row as runs of one style; the bottom-right cell is skipped")
    func firstFrame() {
        let recorder = Recorder()
        var r = CursesRenderer(calls: recorder.table, colorMode: .full256, maxPairs: 256)
        var b = CellBuffer(width: 6, height: 2)
        b.put("ab", x: 0, y: 0)
        b.put("cd", x: 2, y: 0, style: Self.red)
        r.draw(b)
        #expect(recorder.take() == [
            .erase,
            .style(.plain, 0), .add(y: 0, x: 0, "ab"),
            .initPair(1, 1, -1), .style(Self.red, 1), .add(y: 0, x: 2, "cd"),
            .style(.plain, 0), .add(y: 0, x: 4, "  "),
            .style(.plain, 0), .add(y: 1, x: 0, "     "),
            .refresh,
        ])
    }

    @Test("An unchanged frame writes nothing; a one-cell change costs one write of one cell")
    func diffing() {
        let recorder = Recorder()
        var r = CursesRenderer(calls: recorder.table, colorMode: .full256, maxPairs: 256)
        var b = CellBuffer(width: 10, height: 3)
        b.put("hello", x: 0, y: 1, style: Self.red)
        r.draw(b)
        _ = recorder.take()
        r.draw(b)
        #expect(recorder.take() == [.refresh])
        b.put("j", x: 0, y: 1, style: Self.red)
        r.draw(b)
        #expect(recorder.take() == [.style(Self.red, 1), .add(y: 1, x: 0, "j"), .refresh])
        // Two changed cells with an unchanged one between: two writes, not one spanning all three.
        b.put("x", x: 2, y: 1, style: Self.red)
        b.put("y", x: 4, y: 1, style: Self.red)
        r.draw(b)
        #expect(recorder.take() == [.style(Self.red, 1), .add(y: 1, x: 2, "x"), .style(Self.red, 1), .add(y: 1, x: 4, "y"), .refresh])
    }

    @Test("A new size, or invalidate after a resize, redraws the whole frame")
    func redrawWhole() {
        let recorder = Recorder()
        var r = CursesRenderer(calls: recorder.table, colorMode: .monochrome, maxPairs: 256)
        let b = CellBuffer(width: 4, height: 2)
        r.draw(b)
        _ = recorder.take()
        r.invalidate()
        r.draw(b)
        #expect(recorder.take().first == .erase)
        r.draw(CellBuffer(width: 5, height: 2))
        #expect(recorder.take() == [.erase, .style(.plain, 0), .add(y: 0, x: 0, "     "), .style(.plain, 0), .add(y: 1, x: 0, "    "), .refresh])
    }

    @Test("Colour pairs: one per colour combination, reused, none in monochrome, 0 once the terminal's pairs run out")
    func pairs() {
        let recorder = Recorder()
        var r = CursesRenderer(calls: recorder.table, colorMode: .full256, maxPairs: 3)
        var b = CellBuffer(width: 8, height: 1)
        b.put("a", x: 0, y: 0, style: Self.red)
        b.put("b", x: 1, y: 0, style: Self.orange)
        b.put("c", x: 2, y: 0, style: CellStyle(fg: .palette(1), bold: true))   // same colours as red: pair 1
        b.put("d", x: 3, y: 0, style: CellStyle(fg: .palette(2)))                // a third pair: none left
        r.draw(b)
        let calls = recorder.take()
        #expect(calls.filter { if case .initPair = $0 { true } else { false } } == [.initPair(1, 1, -1), .initPair(2, 208, 17)])
        #expect(calls.contains(.style(CellStyle(fg: .palette(1), bold: true), 1)))
        #expect(calls.contains(.style(CellStyle(fg: .palette(2)), 0)))

        let mono = Recorder()
        var m = CursesRenderer(calls: mono.table, colorMode: .monochrome, maxPairs: 256)
        m.draw(b)
        #expect(mono.take().allSatisfy { if case .initPair = $0 { false } else if case .style(_, let p) = $0 { p == 0 } else { true } })
    }

    @Test("In 8-colour mode, 256-colour indices map to the nearest basic colour")
    func basicColours() {
        #expect(CursesRenderer.basic(9) == 1)        // bright red -> red
        #expect(CursesRenderer.basic(196) == 1)      // xterm red cube corner
        #expect(CursesRenderer.basic(46) == 2)       // green
        #expect(CursesRenderer.basic(21) == 4)       // blue
        #expect(CursesRenderer.basic(231) == 7)      // white
        #expect(CursesRenderer.basic(16) == 0)       // black
        #expect(CursesRenderer.basic(235) == 0 && CursesRenderer.basic(250) == 7)   // the grey ramp
        let recorder = Recorder()
        var r = CursesRenderer(calls: recorder.table, colorMode: .basic8, maxPairs: 64)
        var b = CellBuffer(width: 3, height: 2)
        b.put("x", x: 0, y: 0, style: Self.orange)   // 208 (orange) on 17 (navy) becomes red on black
        r.draw(b)
        #expect(recorder.take().contains(.initPair(1, Int32(CursesRenderer.basic(208)), Int32(CursesRenderer.basic(17)))))
    }
}
