import HeapModel
import MemtopTestSupport
import TerminalUI
import Testing

/// The slab panel's rows as the statistics step sorts them once a frame, and the search jump the
/// keys answer with.
@Suite("Slab panel rows and search jumps")
struct SlabPanelRowsTests {
    static let layout = ScreenLayout(width: 160, height: 50, frames: seededSnapshot(steps: 200).machine.endPFN, pixelsPerCell: 2)!

    @Test("The rows shown, counted and matched are slabtop's sort of every cache, filtered only when \\ is on")
    func rows() throws {
        let machine = seededSnapshot(steps: 400).machine
        var state = ViewState()
        state.slabSort = .name
        state.search = "kmalloc-1"
        let rows = SlabPanelRows(machine, report: AllocationReport(), state: state)
        #expect(rows.caches == SlabRow.rows(of: machine, sort: .name) && rows.callSites.isEmpty)
        #expect(rows.shownCaches(for: state) == rows.caches)
        #expect(rows.matches(for: state) == rows.caches.map { $0.matches("kmalloc-1") })
        state.filterToSearch = true
        #expect(rows.shownCaches(for: state) == SlabRow.shown(of: machine, state: state))
        #expect(rows.count(for: state) == rows.caches.filter { $0.matches("kmalloc-1") }.count && rows.count(for: state) >= 2)
        #expect(rows.fit(state), "a new search needs no new sort")
        state.slabSort = .objects
        #expect(!rows.fit(state))
        state.showCallSites = true
        state.slabSort = .name
        #expect(!rows.fit(state))
    }

    @Test("The selected row names its cache by index; a call-site row names none")
    func selectedCache() throws {
        let machine = seededSnapshot(steps: 400).machine
        var state = ViewState()
        let rows = SlabPanelRows(machine, report: AllocationReport(), state: state)
        state.slabTable.selected = 2
        let cache = try #require(rows.selectedCache(in: machine, state: state))
        #expect(machine.slabCaches[cache].name == rows.caches[2].name)
        state.slabTable.selected = rows.caches.count
        #expect(rows.selectedCache(in: machine, state: state) == nil)
        state.showCallSites = true
        state.slabTable.selected = 0
        #expect(SlabPanelRows(machine, report: AllocationReport(), state: state).selectedCache(in: machine, state: state) == nil)
    }

    @Test("A frame's statistics hold the rows the panel draws, and derive no timelines from a run that sampled nothing")
    func statistics() {
        var snapshot = seededSnapshot(steps: 400)
        var state = ViewState()
        state.focus = .slabs
        let plain = FrameStatistics(snapshot, state: state, layout: Self.layout)
        #expect(plain.rows.caches == SlabRow.rows(of: snapshot.machine, sort: state.slabSort))
        #expect(plain.slabRows == plain.rows.caches)
        #expect(plain.cacheTimeline == nil && plain.zoneTimeline.isEmpty && plain.highlight.isEmpty)
        // With samples, the selected cache's timeline and the zone's end at their numbers now.
        var samples = CacheSamples()
        samples.take(step: 64, machine: snapshot.machine)
        snapshot.samples = samples
        let sampled = FrameStatistics(snapshot, state: state, layout: Self.layout)
        let top = sampled.slabRows[0]
        #expect(sampled.cacheTimeline == CacheTimeline(name: top.name, objects: [top.objects, top.objects], slabs: [top.slabs, top.slabs]))
        let zone = snapshot.machine.populatedZones.last!
        #expect(sampled.zoneTimeline == zone.nrFree.map { [$0, $0] })
    }

    @Test("Typing a search and F3 answer with the jump in the reaction; Enter, Esc and other keys carry none")
    func jumps() {
        var state = ViewState()
        #expect(KeyHandler.handle(.char("/"), state: &state, mapFrames: 1000, slabRows: 50).searchJump == nil)
        let typed = KeyHandler.handle(.char("k"), state: &state, mapFrames: 1000, slabRows: 50)
        #expect(typed == .jumping(.fromHere) && typed.contains(.redraw) && state.search == "k")
        #expect(KeyHandler.handle(.char("\u{7f}"), state: &state, mapFrames: 1000, slabRows: 50) == .jumping(.fromHere))
        #expect(KeyHandler.handle(.enter, state: &state, mapFrames: 1000, slabRows: 50) == .redraw)
        _ = KeyHandler.handle(.char("/"), state: &state, mapFrames: 1000, slabRows: 50)
        #expect(KeyHandler.handle(.escape, state: &state, mapFrames: 1000, slabRows: 50) == .redraw)
        state.focus = .pageMap
        #expect(KeyHandler.handle(.function(3), state: &state, mapFrames: 1000, slabRows: 50) == .jumping(.next))
        #expect(state.focus == .slabs)
        #expect(KeyHandler.handle(.char("z"), state: &state, mapFrames: 1000, slabRows: 50).searchJump == nil)
        var both: Reaction = [.jumping(.fromHere), .step]
        #expect(both.contains(.jumping(.fromHere)) && !both.contains(.jumping(.next)) && both.contains(.step))
        both.formUnion(.jumping(.next))
        #expect(both.searchJump == .next)
    }
}
