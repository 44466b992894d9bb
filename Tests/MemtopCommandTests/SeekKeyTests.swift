import BuiltInWorkloads
import HeapModel
@testable import MemtopCommand
import TerminalUI
import Testing

/// The seek a key asks for reaches the session through the key's reaction (the only way it travels).
@Suite("Seeking from the keyboard")
struct SeekKeyTests {
    static func session() throws -> ViewerSession {
        let w = try #require(Workload.named("slab-churn"))
        var s = try ViewerSession(ViewerRequest(source: .workload(w), configuration: MachineConfiguration(), seed: 3),
                                  theme: Theme(mode: .monochrome))
        s.advance(500)
        return s
    }

    @Test("g 1 2 3 Enter goes to event 123; `,` steps back one; Home goes to the start and End to the last event")
    func goTo() throws {
        var s = try Self.session()
        for key in [Key.char("g"), .char("1"), .char("2"), .char("3"), .enter] {
            let goOn = s.handle(key)
            #expect(goOn)
        }
        #expect(s.status.step == 123)
        #expect(!s.state.playing)
        _ = s.handle(.char(","))
        #expect(s.status.step == 122)
        _ = s.handle(.home)
        #expect(s.status.step == 0)
        _ = s.handle(.end)
        #expect(s.status.step == s.status.total)
        var stepped = try Self.session()
        stepped.seek(to: 122)
        var keyed = try Self.session()
        for key in [Key.char("g"), .char("1"), .char("2"), .char("2"), .enter] { _ = keyed.handle(key) }
        #expect(keyed.machine == stepped.machine, "a keyed seek lands where seek(to:) does")
    }

    @Test("The session keeps the geometry it drew for the mouse; a click on a slab row selects the row under it, scrolled")
    func clickAfterScroll() throws {
        var s = try Self.session()
        s.state.playing = false
        _ = s.handle(.tab)
        for _ in 0..<30 { _ = s.handle(.down) }
        _ = s.render(width: 80, height: 24)
        let layout = try #require(s.layout)
        let offset = s.state.slabTable.offset
        #expect(offset > 0, "30 rows down, the 80x24 table has scrolled")
        _ = s.handle(.click(x: layout.slabs.x + 4, y: layout.slabs.y + 2))
        #expect(s.state.slabTable.selected == offset, "the first row shown is the offset's")
    }
}
