import HeapModel
import MemtopCommand
import TerminalUI
import Testing
import Workloads

@Suite("Time travel")
struct TimeTravelTests {
    func session(_ name: String) throws -> ViewerSession {
        let request = ViewerRequest(source: .workload(try #require(Workload.named(name))),
                                    configuration: MachineConfiguration(ramBytes: 256 << 20), seed: 3)
        return try ViewerSession(request, theme: Theme(mode: .monochrome))
    }

    @Test("Stepping back then forward reproduces the state of going straight there")
    func backAndForth() throws {
        var travelled = try session("slab-churn")
        travelled.advance(9_000)
        travelled.seek(to: 4_321)
        var straight = try session("slab-churn")
        straight.advance(4_321)
        #expect(travelled.status.step == 4_321)
        #expect(travelled.machine == straight.machine)
        travelled.seek(to: 7_000)
        straight.advance(7_000 - 4_321)
        #expect(travelled.machine == straight.machine)
        // One step back with the key.
        _ = travelled.handle(.char(","))
        #expect(travelled.status.step == 6_999)
        _ = travelled.handle(.home)
        #expect(travelled.status.step == 0)
        _ = travelled.handle(.end)
        #expect(travelled.status.step == travelled.status.total)
    }

    @Test("g N Enter goes to event N; ] finds the next violation")
    func gotoAndMarks() throws {
        var s = try session("misuse")
        for key in [Key.char("g"), .char("3"), .enter] { _ = s.handle(key) }
        #expect(s.status.step == 3)
        _ = s.handle(.home)
        _ = s.handle(.char("]"))
        #expect(s.status.step == 1)    // the double free happens in the first operation
        #expect(s.marks.first == 1)
    }
}
