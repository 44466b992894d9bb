import HeapModel
import MemtopTestSupport
import TerminalUI
import Testing

/// The widgets as values and their state as the caller's: ratatui's `Widget` / `StatefulWidget`.
@Suite("Widgets and their state")
struct WidgetStateTests {
    /// Ten slab rows named c0...c9, each with `k` objects.
    static let rows = (0..<10).map { k in
        SlabRow(name: "c\(k)", objects: 10 - k, active: 10 - k, objectSize: 64, slabs: 1, objectsPerSlab: 64, pagesPerSlab: 1,
                full: 0, partial: 1, empty: 0)
    }

    /// The row `y` of `buffer`, trailing spaces dropped.
    static func line(_ buffer: CellBuffer, _ y: Int) -> String {
        var s = Substring(buffer.line(y))
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }

    @Test("A table keeps the selected row in view by moving its offset as little as it can")
    func tableScroll() {
        var state = TableState(selected: 7)
        #expect(state.scroll(count: 10, visible: 4) == 7)
        #expect(state.offset == 4)
        state.selected = 5
        #expect(state.scroll(count: 10, visible: 4) == 5)
        #expect(state.offset == 4, "a row already in view scrolls nothing")
        state.selected = 2
        _ = state.scroll(count: 10, visible: 4)
        #expect(state.offset == 2)
        state.selected = 40
        #expect(state.scroll(count: 10, visible: 4) == 9, "past the end the last row is shown selected")
        #expect(state.selected == 40 && state.offset == 6)
    }

    @Test("The slab table drawn into any area scrolls its state there, and draws the same cells twice from the same state")
    func slabTableInASmallArea() {
        let area = Rect(x: 2, y: 1, width: 44, height: 6)     // a header and 3 rows inside the border
        let widget = SlabTableWidget(rows: Self.rows, sort: .objects, focused: true, theme: Theme(mode: .monochrome))
        var state = TableState(selected: 6)
        var buffer = CellBuffer(width: 50, height: 8)
        widget.render(area: area, buffer: &buffer, state: &state)
        #expect(state == TableState(selected: 6, offset: 4))
        #expect(Self.line(buffer, 3).contains("% c4 "), "the first row shown is the offset's")
        #expect(Self.line(buffer, 5).contains("% c6 "))
        #expect(buffer[area.x + 1, 5].style == Theme(mode: .monochrome).selection)
        #expect(Self.line(buffer, 0).isEmpty && Self.line(buffer, 7).isEmpty, "nothing outside the area")
        var again = CellBuffer(width: 50, height: 8)
        var kept = state
        widget.render(area: area, buffer: &again, state: &kept)
        #expect(again == buffer)
        #expect(kept == state)
    }

    @Test("Scrolling the slab panel, then resizing, keeps the selection and shows it at the new size")
    func resizeKeepsSelection() throws {
        let snapshot = seededSnapshot()
        var state = ViewState()
        state.focus = .slabs
        state.slabTable.selected = 25
        let theme = Theme(mode: .monochrome)
        let (_, large) = Screen.render(snapshot, state: &state, theme: theme, width: 160, height: 50)
        let big = try #require(large)
        let scrolledLarge = state.slabTable.offset
        #expect(scrolledLarge > 0)
        let (small, smallLayout) = Screen.render(snapshot, state: &state, theme: theme, width: 80, height: 24)
        let l = try #require(smallLayout)
        #expect(state.slabTable.selected == 25)
        #expect(state.slabTable.offset > scrolledLarge, "fewer rows fit, so the table scrolls further")
        let y = l.slabs.y + 2 + (25 - state.slabTable.offset)
        #expect(y < l.slabs.y + l.slabs.height - 1)
        #expect(small[l.slabs.x + 1, y].style == theme.selection, "the selected row is on screen at 80x24")
        _ = Screen.render(snapshot, state: &state, theme: theme, width: 160, height: 50)
        #expect(state.slabTable.selected == 25)
        #expect(state.slabTable.offset <= 25 && 25 < state.slabTable.offset + big.slabs.height - 3)
    }

    @Test("The page map scrolls by whole rows to follow the cursor, keeps its offset while the cursor stays in view, and fits at zoom 0")
    func pageMapViewport() throws {
        let layout = try #require(ScreenLayout(width: 160, height: 50, frames: 65_536))
        let map = layout.map
        let perRow = map.columns * map.pixelsPerCell
        var state = PageMapState()
        state.pagesPerPixel = 1
        state.cursor = perRow * (map.rows + 3) + 5
        state.follow(in: map)
        #expect(state.offset == perRow * 4, "the cursor's row becomes the last one shown")
        state.cursor -= perRow * 2
        state.follow(in: map)
        #expect(state.offset == perRow * 4, "still in view: no scrolling")
        state.cursor = 3
        state.follow(in: map)
        #expect(state.offset == 0)
        state.pagesPerPixel = 0
        state.offset = 999
        let fit = state.viewport(in: map)
        #expect(fit.offset == 0 && fit.pagesPerPixel == map.fitPagesPerPixel, "the fitting zoom shows everything from frame 0")
        #expect(layout.frame(atX: layout.pageMap.x + 1, y: map.gridTop + 1, state: PageMapState()) == perRow * map.fitPagesPerPixel)
    }

    @Test("The statistics step builds the frame's values once; drawing them gives the screen Screen.render gives")
    func statisticsStep() throws {
        let snapshot = seededSnapshot()
        var state = ViewState()
        state.pageMap.cursor = 0x1000
        state.pageMap.pagesPerPixel = 1
        state.showInspector = true
        let theme = Theme(mode: .full256)
        let layout = try #require(ScreenLayout(width: 160, height: 50, frames: snapshot.machine.endPFN))
        let statistics = FrameStatistics(snapshot, state: state, layout: layout)
        let view = state.pageMap.viewport(in: layout.map)
        #expect(statistics.pageMap.offset == view.offset && statistics.pageMap.pagesPerPixel == 1)
        #expect(statistics.pageMap.pixels == snapshot.machine.pageMapPixels(from: PageFrameNumber(view.offset), pixels: layout.map.pixels, pagesPerPixel: 1))
        #expect(statistics.slabRows == SlabRow.shown(of: snapshot.machine, state: state))
        #expect(statistics.zones == snapshot.machine.populatedZones)
        #expect(statistics.inspector?.pfn == PageFrameNumber(0x1000))
        var drawnState = state
        var buffer = CellBuffer(width: 160, height: 50)
        Screen.draw(statistics, state: &drawnState, layout: layout, theme: theme, into: &buffer)
        var renderedState = state
        let (rendered, _) = Screen.render(snapshot, state: &renderedState, theme: theme, width: 160, height: 50)
        #expect(buffer == rendered)
        #expect(drawnState == renderedState)
    }

    @Test("Every panel draws into an area of its own, and nowhere else")
    func widgetsStayInTheirArea() {
        let snapshot = seededSnapshot(steps: 500)
        let theme = Theme(mode: .monochrome)
        let area = Rect(x: 3, y: 2, width: 60, height: 14)
        let layout = ScreenLayout(width: 160, height: 50, frames: snapshot.machine.endPFN)!
        let s = FrameStatistics(snapshot, state: ViewState(), layout: layout)
        let widgets: [any Widget] = [
            StatusBarWidget(status: s.status, configuration: s.configuration, theme: theme),
            VmallocWidget(s.vmalloc, focused: true, theme: theme),
            FragmentationWidget(zones: s.zones, focused: true, theme: theme),
            EventLogWidget(log: s.log, counter: "op", focused: true, theme: theme),
            HelpOverlay(theme: theme),
            ProgressBarWidget(title: "reading", fraction: 0.5),
        ]
        for widget in widgets {
            var buffer = CellBuffer(width: 70, height: 20)
            widget.render(area: area, buffer: &buffer)
            let outside = (0..<20).flatMap { y in (0..<70).map { (x: $0, y: y) } }.filter { !area.contains(x: $0.x, y: $0.y) }
            #expect(outside.allSatisfy { buffer[$0.x, $0.y] == .blank }, "\(type(of: widget)) drew outside its area")
            #expect(buffer.cells.contains { $0 != .blank }, "\(type(of: widget)) drew nothing")
        }
    }
}

/// A seek is the key's reaction, and only that: the view state holds none.
@Suite("Seeks in the reaction")
struct SeekReactionTests {
    func press(_ keys: [Key], _ state: inout ViewState) -> Reaction {
        var all = Reaction.none
        for k in keys { all.formUnion(KeyHandler.handle(k, state: &state, mapFrames: 100_000, slabRows: 50)) }
        return all
    }

    @Test("Time keys answer with the seek and pause; other keys carry none", arguments: [
        ([Key.char("g"), .char("1"), .char("2"), .char("3"), .enter], Seek.to(123)),
        ([.home], .start), ([.end], .end), ([.char(",")], .back), ([.char("]")], .nextMark), ([.char("[")], .previousMark),
        ([.char("f")], .next(.fallback)), ([.char("X")], .previous(.failure)), ([.char("L")], .next(.lost)), ([.char("G")], .cacheGrowth),
    ])
    func seeks(keys: [Key], seek: Seek) {
        var state = ViewState()
        let reaction = press(keys, &state)
        #expect(reaction.seek == seek)
        #expect(reaction.contains(.redraw) && reaction.contains(.seeking(seek)))
        #expect(!state.playing)
    }

    @Test("Keys that do not move in time carry no seek; an abandoned go-to carries none")
    func noSeek() {
        var state = ViewState()
        for keys in [[Key.char(" ")], [.tab], [.char(".")], [.char("g"), .char("4"), .escape], [.char("g"), .enter]] {
            #expect(press(keys, &state).seek == nil, "\(keys)")
        }
        let both: Reaction = [.step, .redraw]
        #expect(both.contains(.step) && both.contains(.redraw) && both.seek == nil)
        #expect(!Reaction.redraw.contains(.seeking(.start)))
    }
}
