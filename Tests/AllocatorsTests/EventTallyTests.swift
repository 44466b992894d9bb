import Allocators
import HeapModel
import MemtopTestSupport
import Testing

/// A headless replay tallies events straight into its call-site report (`Machine.tallyEvents`)
/// instead of keeping them; the report must come out as it does from the kept events.
@Suite("Tallied events make the report kept events make")
struct EventTallyTests {
    /// Seeded traffic of kmalloc, kfree (double frees among them), caches and vmalloc on `m`.
    static func traffic(_ m: inout Machine, seed: UInt64) {
        var rng = SeededGenerator(seed: seed)
        let sites = (0..<6).map { m.callSite("site_\($0)+0x0/0x10") }
        let cache = KmemCache.create("tally_cache", objectSize: 200, in: &m)
        var live: [VirtualAddress] = [], areas: [VirtualAddress] = [], freed: [VirtualAddress] = []
        for _ in 0..<3000 {
            let site = sites.randomElement(using: &rng)!
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<4:
                if let p = Kmalloc.kmalloc(Int.random(in: 1...9000, using: &rng), flags: .kernel, site: site, in: &m) { live.append(p) }
            case 4:
                if let cache, let p = KmemCache.alloc(cache, flags: .kernel, site: site, in: &m) { live.append(p) }
            case 5:
                if let p = Vmalloc.vmalloc(Int.random(in: 1...100_000, using: &rng), site: site, in: &m) { areas.append(p) }
            case 6:
                if !areas.isEmpty { _ = Vmalloc.vfree(areas.remove(at: Int.random(in: 0..<areas.count, using: &rng)), site: site, in: &m) }
            case 7:
                // A double free: the contract's violation is reported, and counted in the report.
                if let p = freed.randomElement(using: &rng) { _ = Kmalloc.kfree(p, site: site, in: &m) }
            default:
                if !live.isEmpty {
                    let p = live.remove(at: Int.random(in: 0..<live.count, using: &rng))
                    _ = Kmalloc.kfree(p, site: site, in: &m)
                    freed.append(p)
                }
            }
        }
    }

    @Test("Sites, violations and failures alike, on 6.1 and 6.18", arguments: [KernelVersion.v6_1, .v6_18])
    func sameReport(kernel: KernelVersion) throws {
        var kept = TestMachines.kernel(ram: 256 << 20, kernel: kernel)
        kept.setRecording(true)
        var report = AllocationReport()
        var tallied = kept
        Self.traffic(&kept, seed: 5)
        report.absorb(kept.takeEvents(), in: kept)

        tallied.tallyEvents(into: AllocationReport())
        Self.traffic(&tallied, seed: 5)
        #expect(tallied.takeEvents().isEmpty)
        let taken = tallied.takeTally()
        let tally = try #require(taken)
        #expect(tallied.takeTally() == nil)

        #expect(!report.sites.isEmpty && !report.violations.isEmpty)
        #expect(tally.sites == report.sites)
        #expect(tally.violations == report.violations)
        #expect(tally.failures == report.failures)
        #expect(tally.siteTable(tallied) == report.siteTable(kept))
        try tallied.validateInvariants()
    }
}
