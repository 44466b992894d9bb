import Allocators
import BuiltInWorkloads
import Foundation
import HeapModel
@testable import MemtopCommand
import MemtopTestSupport
import Operations
import TerminalUI
import Testing
import Traces

/// htop's search and filter in the slab panel: `/` incremental, F3 next, `\` filter, Esc clears.
@Suite("Search and filter")
struct SearchTests {
    static func session() throws -> ViewerSession {
        let w = try #require(Workload.named("slab-churn"))
        var s = try ViewerSession(ViewerRequest(source: .workload(w), configuration: MachineConfiguration(), seed: 3),
                                  theme: Theme(mode: .monochrome))
        s.advance(3000)
        s.state.playing = false
        return s
    }

    static func type(_ text: String, into s: inout ViewerSession) {
        for c in text { _ = s.handle(.char(c)) }
    }

    /// The name of the selected row, as the table shows it.
    static func selected(_ s: ViewerSession) -> String {
        SlabRow.shown(of: s.machine, state: s.state)[s.state.slabTable.selected].name
    }

    @Test("Typing after / moves the selection to the first match as each character comes; the status bar shows the entry")
    func incremental() throws {
        var s = try Self.session()
        _ = s.handle(.char("/"))
        #expect(s.state.focus == .slabs)
        Self.type("kmalloc-2", into: &s)
        #expect(Self.selected(s).contains("kmalloc-2"))
        let screen = s.render(width: 160, height: 50).text
        #expect(screen.contains("search caches: kmalloc-2_"))
        Self.type("k", into: &s)
        #expect(Self.selected(s).lowercased().contains("kmalloc-2k"))
        _ = s.handle(.enter)
        #expect(s.state.searchEntry == nil && s.state.search == "kmalloc-2k")
        #expect(s.render(width: 160, height: 50).text.contains("Slabs — /kmalloc-2k: "))
    }

    @Test("F3 visits every match in turn and wraps; \\ keeps only the matches; Esc clears both")
    func nextAndFilter() throws {
        var s = try Self.session()
        _ = s.handle(.char("/"))
        Self.type("cg", into: &s)
        _ = s.handle(.enter)
        let all = SlabRow.rows(of: s.machine, sort: s.state.slabSort)
        let matches = all.filter { $0.name.contains("cg") }.map(\.name)
        #expect(matches.count >= 3)
        var visited: [String] = [Self.selected(s)]
        for _ in 1..<matches.count {
            _ = s.handle(.function(3))
            visited.append(Self.selected(s))
        }
        #expect(visited == matches, "F3 goes through the matches in table order")
        _ = s.handle(.function(3))
        #expect(Self.selected(s) == matches[0], "and wraps")
        _ = s.handle(.char("\\"))
        let shown = SlabRow.shown(of: s.machine, state: s.state)
        #expect(shown.map(\.name) == matches)
        let screen = s.render(width: 160, height: 50).textLines
        let slabs = try #require(s.layout?.slabs)
        let panel = screen[(slabs.y + 2)..<(slabs.y + slabs.height - 1)].map { String($0.dropFirst(slabs.x).prefix(slabs.width)) }
        let tableRows = panel.filter { !$0.dropFirst().allSatisfy { $0 == " " || $0 == "│" } }
        #expect(!tableRows.isEmpty && tableRows.allSatisfy { $0.contains("cg") }, "only matching rows on screen")
        _ = s.handle(.escape)
        #expect(s.state.search.isEmpty && !s.state.filterToSearch)
        #expect(SlabRow.shown(of: s.machine, state: s.state).count == all.count)
    }

    @Test("Esc while typing cancels the search; keys typed into it do nothing else (q does not quit)")
    func entryTakesKeys() throws {
        var s = try Self.session()
        _ = s.handle(.char("/"))
        let step = s.status.step
        let goesOn = s.handle(.char("q"))
        #expect(goesOn)
        Self.type(". n", into: &s)
        #expect(s.status.step == step, "no step while typing")
        #expect(s.state.searchEntry == "q. n")
        _ = s.handle(.escape)
        #expect(s.state.searchEntry == nil && s.state.search.isEmpty)
    }
}

/// The slab panel's call-site mode (`w`).
@Suite("Call sites in the viewer")
struct CallSiteViewTests {
    @Test("w lists call sites: allocations agree with the headless call-site report, live objects with the caches, and the selected site's pages light up")
    func callSites() throws {
        var s = try SearchTests.session()
        _ = s.handle(.char("w"))
        #expect(s.state.showCallSites && s.state.focus == .slabs)
        let rows = try #require(s.statistics()).callSites
        #expect(rows.count >= 3)
        // The same workload headless: the report by call site counts the same allocations.
        let w = try #require(Workload.named("slab-churn"))
        var m = try Kernel.boot(MachineConfiguration())
        m.setRecording(true)
        var run = w.start(3, m.configuration)
        var ops = OperationRunner()
        var report = AllocationReport()
        for _ in 0..<s.status.step where run.step(&ops, &m) { report.absorb(m.takeEvents(), in: m) }
        for row in rows where row.allocations > 0 {
            #expect(report.sites[row.site]?.count == row.allocations, "\(row.name)")
        }
        let liveSlabObjects = s.machine.slabCaches.reduce(0) { $0 + $1.objectsInUse }
        let rowSlabObjects = rows.reduce(0) { $0 + $1.liveObjects } - s.machine.vmap.areas.filter { !$0.isLazilyFreed }.count
        #expect(rowSlabObjects >= liveSlabObjects && rowSlabObjects <= liveSlabObjects + 1000)
        // Sorted by live objects (slabtop's default key), largest first; the top row's pages are lit.
        #expect(rows.map(\.liveObjects) == rows.map(\.liveObjects).sorted(by: >))
        let lit = try #require(s.statistics()).highlight
        #expect(!lit.isEmpty)
        for pfn in lit.prefix(50).map({ PageFrameNumber($0) }) {
            #expect(s.machine.describeFrame(pfn).hasPrefix("slab of ") || s.machine.describeFrame(pfn).hasPrefix("large kmalloc")
                    || s.machine.describeFrame(pfn).hasPrefix("vmalloc"))
        }
        let screen = s.render(width: 160, height: 50).text
        #expect(screen.contains("Call sites — ") && screen.contains(rows[0].name))
        // Search works on call sites too.
        _ = s.handle(.char("/"))
        for c in rows[2].name.prefix(8) { _ = s.handle(.char(c)) }
        _ = s.handle(.enter)
        #expect(try #require(s.statistics()).callSites[s.state.slabTable.selected].name.hasPrefix(String(rows[2].name.prefix(8))))
    }
}

/// The selected cache's timeline and the jump keys (f/F fallbacks, x/X failures, G growth).
@Suite("Timelines and jump keys")
struct TimelineJumpTests {
    @Test("The slab panel shows the selected cache's objects and slabs over the run, ending at its numbers now")
    func cacheTimeline() throws {
        var s = try SearchTests.session()
        _ = s.handle(.tab)   // focus the slab panel
        let rows = SlabRow.shown(of: s.machine, state: s.state)
        let row = try #require(rows.firstIndex { $0.name == "kmalloc-4k" })
        s.state.slabTable.selected = row
        let t = try #require(s.statistics()?.cacheTimeline)
        let cache = try #require(s.machine.cache(named: "kmalloc-4k"))
        #expect(t.name == "kmalloc-4k" && t.objects.last == cache.totalObjects && t.slabs.last == cache.slabCount)
        #expect(t.objects.count >= 10 && Set(t.objects).count > 1, "sampled over the run: \(t.objects)")
        #expect(s.render(width: 160, height: 50).text.contains("kmalloc-4k objects "))
        // G goes to where it grew most: the sample there is above the one before it.
        _ = s.handle(.char("G"))
        let at = s.status.step
        #expect(at > 0 && at != 3000)
        let objectsThen = try #require(s.machine.cache(named: "kmalloc-4k")).totalObjects
        var before = s
        before.seek(to: max(0, at - 64))   // the sample before (every 64 steps this early)
        let objectsBefore = try #require(before.machine.cache(named: "kmalloc-4k")).totalObjects
        #expect(objectsThen > objectsBefore)
    }

    @Test("f goes to the next fallback and F back; x to the next allocation failure: the log's newest lines show it")
    func jumpKeys() throws {
        let w = try #require(Workload.named("buddy-fragmentation"))
        var s = try ViewerSession(ViewerRequest(source: .workload(w), configuration: MachineConfiguration(ramBytes: 256 << 20), seed: 1),
                                  theme: Theme(mode: .monochrome))
        s.state.playing = false
        // Its failures: the fill's and the drain's (quiet, __GFP_NOWARN), then the probes, which warn.
        var steps: [Int] = []
        for _ in 0..<3 {
            _ = s.handle(.char("x"))
            steps.append(s.status.step)
        }
        #expect(steps == steps.sorted() && Set(steps).count == 3 && steps[0] > 0, "\(steps)")
        #expect(s.log.suffix(12).contains { $0.text.hasPrefix("page allocation failure: order:3") }, "\(s.log.suffix(12).map(\.text))")
        _ = s.handle(.char("X"))
        #expect(s.status.step == steps[1])
        _ = s.handle(.home)
        _ = s.handle(.char("f"))
        let first = s.status.step
        #expect(first > 0 && s.log.suffix(40).contains { $0.text.hasPrefix("mm_page_alloc_extfrag") })
        _ = s.handle(.char("f"))
        let second = s.status.step
        #expect(second > first)
        _ = s.handle(.char("F"))
        #expect(s.status.step == first)
    }
}

/// The inspector says what a page is and who put it there; the vmalloc panel selects areas.
@Suite("Inspector and vmalloc selection")
struct InspectorTests {
    @Test("On a slab page the inspector lists the page's objects with their call sites, and says who placed the page")
    func slabPage() throws {
        let lesson = try #require(Lessons.named("size-classes"))
        var s = try ViewerSession(ViewerRequest(source: .trace(lesson.path), configuration: MachineConfiguration(), seed: 1),
                                  theme: Theme(mode: .monochrome))
        s.advance(5, throughPauses: true)   // the kmalloc(72) done
        let pfn = try #require((0..<s.machine.endPFN).first { s.machine.describeFrame(PageFrameNumber($0)).hasPrefix("slab of kmalloc-96") })
        let lines = s.machine.explainFrame(PageFrameNumber(pfn))
        #expect(lines.first == "placed by memtop's allocators")
        #expect(lines.contains { $0.hasPrefix("kmalloc-96: 1 of 42 objects in use") })
        #expect(lines.contains { $0 == "  +0x0 72 B by demo_probe+0x10/0x80" })
        #expect(lines.filter { $0.hasPrefix("  +0x") }.count == 42)
        s.state.pageMap.cursor = pfn
        _ = s.handle(.char("i"))
        let screen = s.render(width: 160, height: 50).text
        #expect(screen.contains("Inspector — pfn") && screen.contains("+0x0 72 B by demo_probe+0x10/0x80"))
    }

    @Test("On a traced page the inspector names the trace line that allocated it; time travel keeps it right")
    func placedByLine() throws {
        let source = try LineSource(path: try #require(RealCapture.path("trace.txt.xz")))
        var lines: [String] = []
        while lines.count < 3000, let line = try source.nextLine() { lines.append(String(line)) }
        // The first page the trace allocates, and its line (1-based, as the header counts).
        let index = try #require(lines.firstIndex { $0.contains(" mm_page_alloc: ") && $0.contains("order=0") })
        let field = try #require(lines[index].split(separator: " ").first { $0.hasPrefix("pfn=0x") })
        let pfn = try #require(Int(field.dropFirst(6), radix: 16))
        let path = "/tmp/memtop-placed-\(getpid()).txt"
        try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        var s = try ViewerSession(ViewerRequest(source: .trace(path), configuration: MachineConfiguration(kernel: .v6_1), seed: 1),
                                  theme: Theme(mode: .monochrome))
        s.state.pageMap.cursor = pfn
        _ = s.handle(.char("i"))
        let line = index + 1
        s.seek(to: line)
        #expect(s.render(width: 160, height: 50).text.contains("allocated at line \(line) (g \(line) Enter goes there)"))
        s.seek(to: line - 1)
        #expect(!s.render(width: 160, height: 50).text.contains("allocated at line \(line) "))
        s.seek(to: s.status.total ?? 3000)
        s.seek(to: line)
        #expect(s.render(width: 160, height: 50).text.contains("allocated at line \(line) (g \(line) Enter goes there)"))
    }

    @Test("The vmalloc panel selects an area with the arrows, describes it, and lights its pages on the page map")
    func vmallocSelection() throws {
        let lesson = try #require(Lessons.named("vmalloc"))
        var s = try ViewerSession(ViewerRequest(source: .trace(lesson.path), configuration: MachineConfiguration(), seed: 1),
                                  theme: Theme(mode: .monochrome))
        s.advance(5, throughPauses: true)   // both vmallocs done
        let areas = s.machine.vmap.areas.filter { !$0.isLazilyFreed }
        try #require(areas.count >= 2)
        s.state.focus = .vmalloc
        _ = s.handle(.down)
        #expect(s.state.vmallocRow == 1)
        let text = s.render(width: 160, height: 50).text
        #expect(text.contains("2/\(s.machine.vmap.areas.count) \(s.machine.vmap.areas[1].start)"))
        #expect(text.contains("by demo_ring_alloc+0x24/0x80"))
        #expect(try #require(s.statistics()).highlight == Set(s.machine.vmap.areas[1].pages.map { Int($0) }))
        let pfn = try #require(s.statistics()?.highlight.first)
        #expect(s.machine.explainFrame(PageFrameNumber(pfn)).contains { $0.contains("of the vmalloc area \(s.machine.vmap.areas[1].start)") })
    }
}

/// The fragmentation panel's history of each order.
@Suite("Zone history per order")
struct ZoneHistoryTests {
    @Test("Each order's free blocks over the run, ending at buddyinfo's count now, beside its bar")
    func perOrder() throws {
        let w = try #require(Workload.named("buddy-fragmentation"))
        var s = try ViewerSession(ViewerRequest(source: .workload(w), configuration: MachineConfiguration(ramBytes: 256 << 20), seed: 1),
                                  theme: Theme(mode: .monochrome))
        s.advance(20_000)
        let t = try #require(s.statistics()).zoneTimeline
        let zone = try #require(s.machine.populatedZones.last)
        #expect(t.count == 11 && t.map { $0.last } == zone.nrFree.map { Optional($0) })
        #expect(t[10].count > 100 && Set(t[10]).count > 1, "order 10 fell as memory filled")
        let text = s.render(width: 160, height: 50).text
        #expect(text.contains("history") && text.contains("extfrag unusable"))
        #expect(Sparkline.whole([0, 1, 2, 3, 4, 5, 6, 7], width: 4, maximum: 7) == "▂▄▆█")
    }
}
