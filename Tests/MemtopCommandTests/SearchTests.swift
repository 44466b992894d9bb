import HeapModel
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
