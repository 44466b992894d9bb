import HeapModel
import MemtopTestSupport
import TerminalUI
import Testing

/// Clicks and the wheel, as the key handler turns them into view state (the backend decodes them).
@Suite("Mouse")
struct MouseTests {
    /// A frame drawn at 160x50: the view state as the renderer left it, and the layout it drew.
    static func state() -> (ViewState, ScreenLayout, Int) {
        let snapshot = seededSnapshot(steps: 200)
        var state = ViewState()
        let (_, layout) = Screen.render(snapshot, state: &state, theme: Theme(mode: .monochrome), width: 160, height: 50)
        return (state, layout!, snapshot.machine.endPFN)
    }

    @Test("A click in the page map focuses it and moves the cursor to the frame under the pointer")
    func clickPageMap() throws {
        var (state, layout, frames) = Self.state()
        state.focus = .slabs
        let x = layout.pageMap.x + 10, y = layout.pageMap.y + 4
        let expected = try #require(layout.frame(atX: x, y: y, state: state.pageMap))
        #expect(KeyHandler.handle(.click(x: x, y: y), state: &state, layout: layout, mapFrames: frames, slabRows: 50) == .redraw)
        #expect(state.focus == .pageMap)
        #expect(state.pageMap.cursor == expected && expected > 0)
    }

    @Test("A click on a slab row selects it; the wheel over a panel focuses and scrolls it; a click outside every panel does nothing")
    func clickSlabsAndWheel() throws {
        var (state, layout, frames) = Self.state()
        let row = 3
        #expect(KeyHandler.handle(.click(x: layout.slabs.x + 5, y: layout.slabs.y + 2 + row), state: &state, layout: layout,
                                  mapFrames: frames, slabRows: 50) == .redraw)
        #expect(state.focus == .slabs && state.slabTable.selected == row)
        _ = KeyHandler.handle(.wheelDown(x: layout.slabs.x + 5, y: layout.slabs.y + 5), state: &state, layout: layout,
                              mapFrames: frames, slabRows: 50)
        #expect(state.slabTable.selected == row + 3)
        let cursor = state.pageMap.cursor
        _ = KeyHandler.handle(.wheelDown(x: layout.pageMap.x + 3, y: layout.pageMap.y + 3), state: &state, layout: layout,
                              mapFrames: frames, slabRows: 50)
        #expect(state.focus == .pageMap)
        #expect(state.pageMap.cursor != cursor, "the wheel over the page map moves its cursor")
        let before = state
        #expect(KeyHandler.handle(.click(x: 10_000, y: 10_000), state: &state, layout: layout, mapFrames: frames,
                                  slabRows: 50) == .none)
        #expect(state.focus == before.focus && state.pageMap.cursor == before.pageMap.cursor)
    }
}
