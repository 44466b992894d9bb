import HeapModel
import MemtopCommand
import MemtopTestSupport
import TerminalUI
import Testing
import BuiltInWorkloads

/// The mouse from `getmouse` to the view state: events decoded on the ncurses seam, handled by a
/// real session against the layout it drew.
@Suite("The mouse in the viewer")
struct ViewerMouseTests {
    @Test("A click selects a slab row, the wheel scrolls the panel under it, a click in the page map moves the cursor there")
    func clicks() throws {
        let w = try #require(Workload.named("slab-churn"))
        var session = try ViewerSession(ViewerRequest(source: .workload(w), configuration: MachineConfiguration(ramBytes: 256 << 20), seed: 1),
                                        theme: Theme(mode: .monochrome))
        session.state.playing = false
        session.advance(2000)
        let layout = try #require(ScreenLayout(width: 160, height: 50, frames: session.machine.endPFN, pixelsPerCell: 2))
        let codes = CursesRecorder.codes
        let recorder = CursesRecorder(width: 160, height: 50)
        recorder.mouse(CursesMouseEvent(x: Int32(layout.slabs.x + 5), y: Int32(layout.slabs.y + 2 + 3), buttons: codes.button1Clicked))
        recorder.type("!")   // a key no panel uses: the state after the click stays as it was for a look
        var backend = recorder.backend()
        session.runLoop(backend: &backend, clock: { 0 })
        #expect(session.state.focus == .slabs && session.state.slabTable.selected == 3)

        recorder.mouse(CursesMouseEvent(x: Int32(layout.slabs.x + 5), y: Int32(layout.slabs.y + 6), buttons: codes.button5Pressed))
        recorder.mouse(CursesMouseEvent(x: Int32(layout.slabs.x + 5), y: Int32(layout.slabs.y + 6), buttons: 0x1))   // a release: nothing
        session.runLoop(backend: &backend, clock: { 0 })
        #expect(session.state.slabTable.selected == 6, "the wheel moves three rows")

        let (x, y) = (layout.pageMap.x + 12, layout.pageMap.y + 5)
        recorder.mouse(CursesMouseEvent(x: Int32(x), y: Int32(y), buttons: codes.button1Pressed))
        session.runLoop(backend: &backend, clock: { 0 })
        let drawn = try #require(session.layout)
        #expect(drawn == layout, "the session drew the layout the clicks aimed at")
        #expect(session.state.focus == .pageMap)
        #expect(session.state.pageMap.cursor == drawn.frame(atX: x, y: y, state: session.state.pageMap))
        #expect(recorder.calls.filter { $0 == .getMouse }.count == 4)
    }
}
