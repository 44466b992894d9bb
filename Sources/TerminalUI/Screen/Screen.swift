import HeapModel

/// The whole screen: lays out the panels for the buffer's size, builds the frame's values once
/// (``FrameStatistics``), and has each widget draw itself into its panel.
public enum Screen {
    /// Renders `snapshot` into a new buffer of `width` x `height`; returns the buffer and the layout
    /// used (nil when the terminal is below the minimum size, and a message was drawn instead).
    ///
    /// The stateful widgets keep their scroll in `state` (the page map's offset, the slab table's
    /// first row), so the caller keeps `state` for the next frame and for hit-testing.
    public static func render(_ snapshot: FrameSnapshot, state: inout ViewState, theme: Theme, width: Int, height: Int)
        -> (CellBuffer, ScreenLayout?)
    {
        let frame = renderFrame(snapshot, state: &state, theme: theme, width: width, height: height)
        return (frame.buffer, frame.layout)
    }

    /// Renders as ``render(_:state:theme:width:height:)`` does, and also returns the frame's values
    /// (nil when the layout is), so that the caller can answer the next keys from the rows drawn.
    public static func renderFrame(_ snapshot: FrameSnapshot, state: inout ViewState, theme: Theme, width: Int, height: Int)
        -> (buffer: CellBuffer, layout: ScreenLayout?, statistics: FrameStatistics?)
    {
        var buffer = CellBuffer(width: width, height: height)
        guard let layout = ScreenLayout(width: width, height: height, frames: snapshot.machine.endPFN,
                                        pixelsPerCell: theme.projector ? 1 : 2) else {
            drawTooSmall(into: &buffer)
            return (buffer, nil, nil)
        }
        let statistics = FrameStatistics(snapshot, state: state, layout: layout)
        draw(statistics, state: &state, layout: layout, theme: theme, into: &buffer)
        return (buffer, layout, statistics)
    }

    /// Renders one frame for a view that is not kept (an export, a test): ``render(_:state:theme:width:height:)``
    /// on a copy of `state`.
    public static func render(_ snapshot: FrameSnapshot, state: ViewState, theme: Theme, width: Int, height: Int)
        -> (CellBuffer, ScreenLayout?)
    {
        var copy = state
        return render(snapshot, state: &copy, theme: theme, width: width, height: height)
    }

    /// Draws every panel of `layout` from `statistics`, then the overlays `state` asks for.
    public static func draw(_ statistics: FrameStatistics, state: inout ViewState, layout: ScreenLayout, theme: Theme,
                            into buffer: inout CellBuffer) {
        let s = statistics
        StatusBarWidget(status: s.status, configuration: s.configuration, gotoEntry: state.gotoEntry, searchEntry: state.searchEntry,
                        searchingCallSites: state.showCallSites, theme: theme).render(area: layout.status, buffer: &buffer)
        PageMapWidget(s.pageMap, focused: state.focus == .pageMap, theme: theme)
            .render(area: layout.pageMap, buffer: &buffer, state: &state.pageMap)
        VmallocWidget(s.vmalloc, focused: state.focus == .vmalloc, theme: theme).render(area: layout.vmalloc, buffer: &buffer)
        if state.showCallSites {
            CallSiteTableWidget(rows: s.callSites, chain: s.callChain, sort: state.slabSort, search: state.search,
                                filtered: state.filterToSearch, focused: state.focus == .slabs, theme: theme)
                .render(area: layout.slabs, buffer: &buffer, state: &state.slabTable)
        } else {
            SlabTableWidget(rows: s.slabRows, sort: state.slabSort, search: state.search, filtered: state.filterToSearch,
                            timeline: s.cacheTimeline, focused: state.focus == .slabs, theme: theme)
                .render(area: layout.slabs, buffer: &buffer, state: &state.slabTable)
        }
        FragmentationWidget(zones: s.zones, zoneChoice: state.zoneChoice, zoneTimeline: s.zoneTimeline, history: s.history,
                            focused: state.focus == .fragmentation, theme: theme).render(area: layout.fragmentation, buffer: &buffer)
        EventLogWidget(log: s.log, counter: s.status.counter, scrollBack: state.logScroll, focused: state.focus == .log, theme: theme)
            .render(area: layout.log, buffer: &buffer)
        NarrationPaneWidget(cards: s.narration, counter: s.status.counter, back: state.narrationBack, hidden: state.narrationHidden,
                            playing: state.playing, minimumRows: layout.log.height, theme: theme).render(area: buffer.area, buffer: &buffer)
        if let inspector = s.inspector { InspectorOverlay(inspector, theme: theme).render(area: layout.pageMap, buffer: &buffer) }
        if state.showHelp { HelpOverlay(theme: theme).render(area: buffer.area, buffer: &buffer) }
    }

    /// The message a screen below the minimum size gets instead of the panels.
    static func drawTooSmall(into buffer: inout CellBuffer) {
        let (width, height) = (buffer.width, buffer.height)
        let message = ["memtop needs at least \(ScreenLayout.minimumWidth)x\(ScreenLayout.minimumHeight);",
                       "this terminal is \(width)x\(height).", "Enlarge it, or press q to quit."]
        for (k, line) in message.enumerated() where height > 0 {
            let y = max(0, height / 2 - 1 + k)
            if y < height { buffer.put(line, x: max(0, (width - line.count) / 2), y: y, style: CellStyle(bold: true)) }
        }
    }
}
