import Allocators
import HeapModel
import Operations
import MemtopCommand
import TerminalUI
import Testing
import Workloads

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
        SlabRow.shown(of: s.machine, state: s.state)[s.state.slabRow].name
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
        let slabs = try #require(s.state.layout?.slabs)
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
        let rows = s.snapshot().callSites
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
        let lit = s.snapshot().highlight
        #expect(!lit.isEmpty)
        for pfn in lit.prefix(50) {
            #expect(s.machine.describeFrame(pfn).hasPrefix("slab of ") || s.machine.describeFrame(pfn).hasPrefix("large kmalloc")
                    || s.machine.describeFrame(pfn).hasPrefix("vmalloc"))
        }
        let screen = s.render(width: 160, height: 50).text
        #expect(screen.contains("Call sites — ") && screen.contains(rows[0].name))
        // Search works on call sites too.
        _ = s.handle(.char("/"))
        for c in rows[2].name.prefix(8) { _ = s.handle(.char(c)) }
        _ = s.handle(.enter)
        #expect(s.snapshot().callSites[s.state.slabRow].name.hasPrefix(String(rows[2].name.prefix(8))))
    }
}
