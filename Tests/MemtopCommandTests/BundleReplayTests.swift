import Captures
import HeapModel
import MemtopCommand
import MemtopTestSupport
import Testing

/// Replays of the shared real capture bundles: the machine rebuilt from start/, the trace placed
/// as the kernel placed it, the end state against end/.
@Suite("Capture bundles replay to their end state")
struct BundleReplayTests {
    static func bundle(_ name: String, from source: String = #filePath) -> String? {
        var dir = source
        for _ in 0..<4 { dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)]) }
        let path = dir + "/shared/traces/bundles/" + name
        return CaptureBundle.isBundle(path: path) ? path : nil
    }

    static func rows(_ c: StateComparison, _ metric: (ComparisonMetric) -> Bool) -> [ComparisonRow] { c.rows.filter { metric($0.metric) } }

    @Test("6.1 bundles: free pages per zone within 2 %, order >= 3 within 10 %, slab pages within 5 %, vmalloc within 5 %",
          arguments: ["6.1-build", "6.1-vmalloc"])
    func sixOne(name: String) throws {
        let path = try #require(Self.bundle(name), "shared/traces/bundles/\(name) must sit beside the repository")
        let (machine, summary, comparison) = try Memtop.Replay.endState(of: path)
        let c = try #require(comparison)
        #expect(machine.configuration.kernel == .v6_1)
        for row in c.rows where row.countsTowardVerdict {
            #expect(row.isWithinTolerance, "\(name): \(row.metric) real \(row.real) memtop \(row.memtop)")
        }
        #expect(c.duplicateCacheNames.isEmpty)
        #expect(c.missingCaches.isEmpty, "\(c.missingCaches)")
        // The target is 90 %; what each replay reaches today is a floor for regressions.
        #expect(c.cachePassFraction >= (name == "6.1-build" ? 0.95 : 0.9), "caches within 10 %: \(c.cachesPassing) of \(c.cachesCompared)")
        #expect(summary.placement.pagesNotManaged == 0)
        try machine.validateInvariants()
    }

    @Test("A bundle is told apart from a trace, and its profile comes from uname; the 6.12 bundle ends within the page, slab-page and vmalloc tolerances")
    func profile() throws {
        let path = try #require(Self.bundle("6.12-build"))
        let (machine, _, comparison) = try Memtop.Replay.endState(of: path)
        #expect(comparison != nil)
        #expect(machine.configuration.cpus == 2)
        #expect(machine.populatedZones.map(\.managedPages) == [3840, 243273])
        let c = try #require(comparison)
        for row in c.rows where row.countsTowardVerdict {
            #expect(row.isWithinTolerance, "6.12-build: \(row.metric) real \(row.real) memtop \(row.memtop)")
        }
        #expect(c.cachePassFraction >= 0.95, "caches within 10 %: \(c.cachesPassing) of \(c.cachesCompared)")
        try machine.validateInvariants()
    }
}
