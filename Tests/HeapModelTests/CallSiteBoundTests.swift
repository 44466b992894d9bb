import HeapModel
import Testing

@Suite("Call-site names stay bounded")
struct CallSiteBoundTests {
    @Test("Past the limit every new name shares one id, and the names known before keep theirs")
    func bounded() throws {
        var machine = try Machine(MachineConfiguration(ramBytes: 128 << 20, cpus: 1, kernel: .v6_1))
        let first = machine.callSite("first+0x1/0x2")
        for i in 0..<(Machine.maxCallSites + 10) { _ = machine.callSite("f\(i)+0x0/0x1") }
        let late = machine.callSite("late+0x1/0x2"), later = machine.callSite("later+0x1/0x2")
        #expect(late == later)
        #expect(machine.name(of: late) == Machine.moreCallSites)
        #expect(Int(late.rawValue) == Machine.maxCallSites - 1)
        #expect(machine.callSite("first+0x1/0x2") == first)
        #expect(machine.callSiteNames.count == Machine.maxCallSites)
    }
}
