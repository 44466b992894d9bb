/// Keys to reactions: a pure function of the view state and the key.
public enum KeyHandler {
    /// Applies `key` to `state` and says what the run loop must do.
    ///
    /// Global keys: space pause/play, `n` or `.` one step (in the slab panel `n` is slabtop's sort
    /// by name, so `.` steps there), `/` search, F3 next match, `\\` filter to the matches, `+`/`-` speed,
    /// Tab/Shift-Tab focus, `?`/F1 help, `q`/F10 quit,
    /// `z`/`Z` zoom, `i`/Enter inspector. Arrows and hjkl move within the focused panel.
    ///
    /// - Parameters:
    ///   - layout: The geometry of the screen last drawn, for the mouse, the zoom and the page
    ///     map's rows (nil before the first frame: an 80-column map with half blocks is assumed).
    ///   - mapFrames: Frames in the machine.
    ///   - slabRows: Rows the slab panel's table has.
    /// - Returns: What the run loop must do, including where to move in time.
    public static func handle(_ key: Key, state: inout ViewState, layout: ScreenLayout? = nil, mapFrames: Int, slabRows: Int) -> Reaction {
        if let reaction = modal(key, &state) { return reaction }
        if let reaction = timeKey(key, &state) { return reaction }
        let context = Context(layout: layout, mapFrames: mapFrames, slabRows: slabRows)
        if let reaction = viewKey(key, &state, context) { return reaction }
        if state.focus == .slabs, case .char(let c) = key, let sort = SlabSort(rawValue: c) {
            state.slabSort = sort
            state.slabTable.selected = 0
            return .redraw
        }
        let (dx, dy): (Int, Int)
        switch key {
        case .up, .char("k"): (dx, dy) = (0, -1)
        case .down, .char("j"): (dx, dy) = (0, 1)
        case .left, .char("h"): (dx, dy) = (-1, 0)
        case .right, .char("l"): (dx, dy) = (1, 0)
        case .pageUp: (dx, dy) = (0, -10)
        case .pageDown: (dx, dy) = (0, 10)
        default: return .none
        }
        return move(dx: dx, dy: dy, &state, context)
    }

    /// What the keys that move need to know of the screen and the machine.
    struct Context {
        var layout: ScreenLayout?
        var mapFrames: Int
        var slabRows: Int
        /// The page map's grid: the last one drawn, or an 80-column one with half blocks.
        var map: PageMapGeometry {
            layout?.map ?? PageMapGeometry(area: Rect(x: 0, y: 0, width: 82, height: 24), frames: mapFrames, pixelsPerCell: 2)
        }
    }

    /// The help overlay and the `g` number entry take every key while open.
    static func modal(_ key: Key, _ state: inout ViewState) -> Reaction? {
        if state.showHelp {
            switch key {
            case .char("q"), .function(10), .interrupt: return .quit
            case .resize: return .redraw
            default: state.showHelp = false; return .redraw
            }
        }
        if let reaction = searchKey(key, &state) { return reaction }
        guard let entry = state.gotoEntry else { return nil }
        // Entering an event number after g: digits, Backspace, Enter to go, Esc to cancel.
        switch key {
        case .char(let c) where c.isNumber: state.gotoEntry = entry + String(c); return .redraw
        case .char("\u{7f}"), .char("\u{8}"): state.gotoEntry = String(entry.dropLast()); return .redraw
        case .enter:
            state.gotoEntry = nil
            if let n = Int(entry) { state.playing = false; return .seeking(.to(n)) }
            return .redraw
        default: state.gotoEntry = nil; return .redraw
        }
    }

    /// The search entry after `/` takes every key: characters narrow it as they are typed (the
    /// selection follows the first match), Backspace widens it, Enter keeps it, Esc clears it.
    static func searchKey(_ key: Key, _ state: inout ViewState) -> Reaction? {
        guard let entry = state.searchEntry else { return nil }
        switch key {
        case .char("\u{7f}"), .char("\u{8}"):
            state.searchEntry = String(entry.dropLast())
        case .char(let c) where c != "\u{1b}":
            state.searchEntry = entry + String(c)
        case .enter:
            state.searchEntry = nil
            return .redraw
        case .escape, .interrupt:
            state.searchEntry = nil
            state.search = ""
            state.filterToSearch = false
            return .redraw
        case .resize:
            return .redraw
        default:
            return Reaction.none
        }
        state.search = state.searchEntry ?? ""
        return .jumping(.fromHere)
    }

    /// Quitting, help, playing, stepping, speed and the seeks.
    static func timeKey(_ key: Key, _ state: inout ViewState) -> Reaction? {
        func seek(_ s: Seek) -> Reaction {
            state.playing = false
            return .seeking(s)
        }
        switch key {
        case .char("q"), .function(10), .interrupt: return .quit
        case .char("?"), .function(1): state.showHelp = true; return .redraw
        case .char("p") where state.focus != .slabs, .char(","): return seek(.back)
        case .home: return seek(.start)
        case .end: return seek(.end)
        case .char("g"): state.gotoEntry = ""; return .redraw
        case .char("/"): state.searchEntry = ""; state.focus = .slabs; return .redraw
        case .char("w"): state.showCallSites.toggle(); state.focus = .slabs; state.slabTable.selected = 0; return .redraw
        case .function(3): state.focus = .slabs; return .jumping(.next)
        case .char("\\"): state.filterToSearch.toggle(); state.slabTable.selected = 0; return .redraw
        case .char("]"): return seek(.nextMark)
        case .char("f"): return seek(.next(.fallback))
        case .char("F"): return seek(.previous(.fallback))
        case .char("x"): return seek(.next(.failure))
        case .char("X"): return seek(.previous(.failure))
        case .char("L"): return seek(.next(.lost))
        case .char("G"): state.focus = .slabs; return seek(.cacheGrowth)
        case .char("["): return seek(.previousMark)
        case .char(" "): state.playing.toggle(); return .redraw
        case .char("."): state.playing = false; return [.step, .redraw]
        case .char("n") where state.focus != .slabs: state.playing = false; return [.step, .redraw]
        case .char("+"), .char("="): state.speedIndex = min(state.speedIndex + 1, ViewState.speeds.count - 1); return .redraw
        case .char("-"), .char("_"): state.speedIndex = max(state.speedIndex - 1, 0); return .redraw
        default: return nil
        }
    }

    /// Focus, zoom, the inspector, export, resize and the mouse.
    static func viewKey(_ key: Key, _ state: inout ViewState, _ context: Context) -> Reaction? {
        let panels = Panel.allCases.count
        switch key {
        case .tab: state.focus = Panel(rawValue: (state.focus.rawValue + 1) % panels) ?? .pageMap; return .redraw
        case .backTab: state.focus = Panel(rawValue: (state.focus.rawValue + panels - 1) % panels) ?? .pageMap; return .redraw
        case .char("z"): zoom(in: true, &state, context); return .redraw
        case .char("Z"): zoom(in: false, &state, context); return .redraw
        case .char("i"): state.showInspector.toggle(); return .redraw
        case .enter where state.focus == .pageMap: state.showInspector.toggle(); return .redraw
        case .escape:
            // Esc closes the inspector first, then clears a search, then hides the narration pane.
            if state.showInspector { state.showInspector = false }
            else if !state.search.isEmpty { state.search = ""; state.filterToSearch = false }
            else { state.narrationHidden = true }
            return .redraw
        case .char("{"): state.narrationBack += 1; state.narrationHidden = false; return .redraw
        case .char("}"): state.narrationBack = max(0, state.narrationBack - 1); state.narrationHidden = false; return .redraw
        case .char("e"): return .export
        case .resize: return .redraw
        case .click(let x, let y): return click(x: x, y: y, &state, context)
        case .wheelUp(let x, let y), .wheelDown(let x, let y):
            let down: Bool
            if case .wheelDown = key { down = true } else { down = false }
            if let panel = context.layout?.panel(atX: x, y: y) { state.focus = panel }
            return move(dx: 0, dy: down ? 3 : -3, &state, context)
        default: return nil
        }
    }

    static func zoom(in zoomIn: Bool, _ state: inout ViewState, _ context: Context) {
        let fit = context.layout?.fitPagesPerPixel ?? 1
        let current = state.pageMap.pagesPerPixel == 0 ? fit : state.pageMap.pagesPerPixel
        let next = zoomIn ? max(1, current / 2) : min(fit, current * 2)
        state.pageMap.pagesPerPixel = next >= fit ? 0 : next
    }

    static func move(dx: Int, dy: Int, _ state: inout ViewState, _ context: Context) -> Reaction {
        switch state.focus {
        case .pageMap:
            let map = context.map
            let per = state.pageMap.pagesPerPixel == 0 ? (context.layout?.fitPagesPerPixel ?? 1) : state.pageMap.pagesPerPixel
            // A text row of the map holds one or two pixel rows of `columns` pixels each.
            let delta = dx * per + dy * per * map.columns * map.pixelsPerCell
            state.pageMap.cursor = min(max(state.pageMap.cursor + delta, 0), max(context.mapFrames - 1, 0))
        case .slabs:
            state.slabTable.selected = min(max(state.slabTable.selected + dy, 0), max(context.slabRows - 1, 0))
        case .fragmentation:
            state.zoneChoice = max(0, state.zoneChoice + dx + dy)
        case .log:
            state.logScroll = max(0, state.logScroll - dy)
        case .vmalloc:
            // Left/right and up/down step through the areas by address.
            state.vmallocRow = max(0, state.vmallocRow + dx + dy)
        }
        return .redraw
    }

    static func click(x: Int, y: Int, _ state: inout ViewState, _ context: Context) -> Reaction {
        guard let layout = context.layout, let panel = layout.panel(atX: x, y: y) else { return .none }
        state.focus = panel
        switch panel {
        case .pageMap:
            if let pfn = layout.frame(atX: x, y: y, state: state.pageMap), pfn < context.mapFrames { state.pageMap.cursor = pfn }
        case .slabs:
            // The table's rows start below the border and the header, from the row scrolled to.
            let row = y - layout.slabs.y - 2 + state.slabTable.offset
            if row >= 0 { state.slabTable.selected = row }
        default: break
        }
        return .redraw
    }
}
