import Allocators
import Captures
import HeapModel
import MemtopTestSupport
import Testing

/// memtop's own rendered /proc files go through the same parsers as a real kernel's.
@Suite("memtop's rendered /proc files")
struct MemtopRenderingTests {
    /// A booted kernel after some kmalloc and vmalloc traffic.
    static func busyMachine(_ version: KernelVersion) -> Machine {
        var machine = TestMachines.kernel(kernel: version)
        for i in 0..<2000 { _ = Kmalloc.kmalloc(16 + (i % 7) * 40, flags: .kernel, in: &machine) }
        for i in 1...12 { _ = Vmalloc.vmalloc(i * 5000, in: &machine) }
        return machine
    }

    @Test("buddyinfo, pagetypeinfo, slabinfo and vmallocinfo parse, and agree with the machine",
          arguments: KernelVersion.allCases)
    func rendered(_ version: KernelVersion) throws {
        let machine = Self.busyMachine(version)
        let state = try ProcState.parse(buddyinfo: machine.buddyinfo(), slabinfo: machine.slabinfo(),
                                        pagetypeinfo: machine.pagetypeinfo(), vmallocinfo: machine.vmallocinfo())
        #expect(state.buddyinfo.map(\.zone) == machine.populatedZones.map(\.kind.description))
        #expect(state.buddyinfo.map(\.freePages) == machine.populatedZones.map(\.freePages))
        #expect(state.buddyinfo.map(\.freeBlocks) == machine.populatedZones.map(\.nrFree))
        #expect(state.slabinfo.count == machine.slabinfo().split(separator: "\n").count - 2)
        let areas = try #require(state.vmallocinfo)
        #expect(areas.filter { $0.pages != nil }.count == 12)
        #expect(areas.allSatisfy { UInt64($0.size) == $0.end - $0.start })
        let types = try #require(state.pagetypeinfo)
        #expect(types.blockTypes == MigrateType.allCases.map(\.description))
        let comparison = StateComparison(real: state, memtop: state)
        #expect(comparison.allWithinTolerance && comparison.rows.allSatisfy { $0.deviationPercent == 0 })
    }
}
