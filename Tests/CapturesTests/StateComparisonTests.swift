import Captures
import Foundation
import Testing

/// The end-state comparison: rows, tolerances, the cache rule, the verdict and both renderings.
@Suite("StateComparison")
struct StateComparisonTests {
    /// The fixtures as a state.
    static func fixtureState() throws -> ProcState {
        try ProcState.parse(buddyinfo: Fixtures.buddyinfo, slabinfo: Fixtures.slabinfo, pagetypeinfo: Fixtures.pagetypeinfo,
                            vmallocinfo: Fixtures.vmallocinfo, zoneinfo: Fixtures.zoneinfo, origin: "fixture")
    }

    @Test("A state against itself: every row at zero deviation, the verdict within tolerance")
    func selfComparisonOfFixtures() throws {
        let state = try Self.fixtureState()
        let comparison = StateComparison(real: state, memtop: state)
        #expect(comparison.rows.allSatisfy { $0.deviationPercent == 0 && $0.isWithinTolerance })
        #expect(comparison.allWithinTolerance && comparison.cachesCompared == 2 && comparison.cachesPassing == 2)
        #expect(comparison.missingCaches.isEmpty && comparison.duplicateCacheNames.isEmpty && comparison.skipped.isEmpty)
        // 2 buddy rows, 8 non-zero free-block rows, slab pages, 2 caches × 3, 2 vmalloc rows.
        #expect(comparison.rows.count == 2 + 8 + 1 + 6 + 2)
    }

    @Test("Every shared state against itself is all zero deviation and within tolerance",
          .enabled(if: SharedBundles.available, SharedBundles.skipReason), arguments: SharedBundles.names)
    func selfComparisonOfBundles(_ name: String) throws {
        let bundle = try CaptureBundle(path: SharedBundles.path(name))
        for state in [bundle.start, try #require(bundle.end)] {
            let comparison = StateComparison(real: state, memtop: state)
            #expect(comparison.rows.allSatisfy { $0.deviationPercent == 0 && $0.isWithinTolerance })
            #expect(comparison.allWithinTolerance && comparison.cachePassFraction == 1 && comparison.skipped.isEmpty)
            #expect(comparison.cachesCompared == state.slabinfo.filter { $0.activeObjects >= 100 }.count)
        }
    }

    @Test("Tolerances: 2 % of free pages is allowed, a page more is not; ±8 blocks covers small counts")
    func tolerances() {
        #expect(Tolerance.freePages.allows(real: 1000, memtop: 1020) && !Tolerance.freePages.allows(real: 1000, memtop: 1021))
        #expect(Tolerance.freePages.allows(real: 1000, memtop: 980) && !Tolerance.freePages.allows(real: 1000, memtop: 979))
        #expect(Tolerance.freeBlocks.allows(real: 2, memtop: 10) && !Tolerance.freeBlocks.allows(real: 2, memtop: 11))
        #expect(Tolerance.freeBlocks.allows(real: 200, memtop: 220) && !Tolerance.freeBlocks.allows(real: 200, memtop: 221))
        #expect(Tolerance.freeBlocks.description == "10 % or ±8" && Tolerance.slabPages.description == "5 %")
        let fromNothing = ComparisonRow(metric: .slabPages, real: 0, memtop: 3, tolerance: .slabPages, countsTowardVerdict: true)
        #expect(fromNothing.deviationPercent == nil && !fromNothing.isWithinTolerance && fromNothing.severity == .infinity)
    }

    @Test("Differences: worst first, missing and duplicated caches, the 90 % cache rule, the verdict")
    func differences() throws {
        let real = try Self.fixtureState()
        var memtop = real
        memtop.buddyinfo[0].freeBlocks[0] += 30          // 1030 free pages: +3 %, over 2 %
        memtop.slabinfo.removeAll { $0.name == "dentry" } // a compared cache missing
        memtop.slabinfo.append(memtop.slabinfo[0])       // kmalloc-64 printed twice
        let comparison = StateComparison(real: real, memtop: memtop)
        let worst = try #require(comparison.rows.first)
        // dentry's rows have memtop 0 (100 % off, 10× the tolerance), free pages 3 % (1.5× of 2 %).
        #expect(worst.metric == .cacheActiveObjects(cache: "dentry") || worst.metric == .cacheObjects(cache: "dentry")
            || worst.metric == .cacheSlabs(cache: "dentry"))
        #expect(zip(comparison.rows, comparison.rows.dropFirst()).allSatisfy { $0.severity >= $1.severity })
        let free = try #require(comparison.rows.first { $0.metric == .freePages(node: 0, zone: "DMA32") })
        #expect(free.real == 1000 && free.memtop == 1030 && free.deviationPercent == 3 && !free.isWithinTolerance)
        #expect(comparison.missingCaches == ["dentry"] && comparison.duplicateCacheNames == ["kmalloc-64"])
        #expect(comparison.cachesCompared == 2 && comparison.cachesPassing == 1 && comparison.cachePassFraction == 0.5)
        #expect(!comparison.allWithinTolerance)
        // Reported rows do not decide the verdict: free-block differences alone leave it passing.
        var blocksOnly = real
        blocksOnly.pagetypeinfo?.freeBlocks[0].counts[0] += 100
        let reported = StateComparison(real: real, memtop: blocksOnly)
        #expect(reported.rows.first?.isWithinTolerance == false && reported.rows.first?.countsTowardVerdict == false)
        #expect(reported.allWithinTolerance)
    }

    @Test("Files absent on one side are skipped and said so")
    func skipped() throws {
        let real = try Self.fixtureState()
        let memtop = try ProcState.parse(buddyinfo: Fixtures.buddyinfo, slabinfo: Fixtures.slabinfo)
        let comparison = StateComparison(real: real, memtop: memtop)
        #expect(comparison.skipped == [
            SkippedComparison(file: .pagetypeinfo, absentFromReal: false, absentFromMemtop: true),
            SkippedComparison(file: .vmallocinfo, absentFromReal: false, absentFromMemtop: true),
        ])
        #expect(comparison.renderText().contains("skipped vmallocinfo: absent from memtop's state\n"))
    }

    @Test("Text: a table worst first with ok/FAIL, the cache summary and the verdict")
    func text() throws {
        let real = try Self.fixtureState()
        var memtop = real
        memtop.buddyinfo[0].freeBlocks[0] += 30
        let text = StateComparison(real: real, memtop: memtop).renderText()
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines[0].hasPrefix("metric") && lines[0].hasSuffix("ok"))
        #expect(lines[1].hasPrefix("free pages DMA32 ") && lines[1].hasSuffix("  FAIL"))
        #expect(lines[1].contains(" 1000 ") && lines[1].contains(" 1030 ") && lines[1].contains("+3.00 %") && lines[1].contains("2 %"))
        #expect(lines.contains { $0.hasPrefix("free blocks DMA32 Unmovable order 0") && $0.hasSuffix("ok *") })
        #expect(lines.contains("caches with >= 100 active objects: 2, passing (active_objs within 10 %): 2 = 100.0 % (need >= 90 %)"))
        #expect(lines.last == "verdict: FAIL")
        #expect(StateComparison(real: real, memtop: real).renderText().hasSuffix("verdict: within tolerance\n"))
    }

    @Test("JSON: valid, with every row and the summary; names escaped")
    func json() throws {
        var real = try Self.fixtureState()
        real.slabinfo[0].name = "odd \"name\" \\ with\ttab\u{1}"
        var memtop = real
        memtop.slabinfo[0].activeObjects = 0
        let comparison = StateComparison(real: real, memtop: memtop)
        let text = comparison.renderJSON()
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["allWithinTolerance"] as? Bool == false)
        let rows = try #require(object["rows"] as? [[String: Any]])
        #expect(rows.count == comparison.rows.count)
        let first = try #require(rows.first)
        #expect(first["cache"] as? String == "odd \"name\" \\ with\ttab\u{1}")
        #expect(first["kind"] as? String == "cacheActiveObjects" && first["memtop"] as? Int == 0)
        #expect(first["deviationPercent"] as? Double == -100 && first["ok"] as? Bool == false)
        let caches = try #require(object["caches"] as? [String: Any])
        #expect(caches["compared"] as? Int == 2 && caches["passing"] as? Int == 1)
        #expect(text.contains("\\u0001"))
    }

    @Test("start/ against end/: the change memtop must reproduce (end is the real state, start stands for a memtop that did nothing)",
          .enabled(if: SharedBundles.available, SharedBundles.skipReason), arguments: StartEndCase.all)
    func startAgainstEnd(_ expected: StartEndCase) throws {
        let bundle = try CaptureBundle(path: SharedBundles.path(expected.bundle))
        let comparison = StateComparison(real: try #require(bundle.end), memtop: bundle.start)
        func row(_ metric: ComparisonMetric) -> ComparisonRow? { comparison.rows.first { $0.metric == metric } }
        let free = try #require(row(.freePages(node: 0, zone: "DMA32")))
        #expect((free.real, free.memtop) == expected.freePages)
        #expect(free.isWithinTolerance == expected.freePagesWithin2Percent)
        let high = try #require(row(.highOrderFreePages(node: 0, zone: "DMA32")))
        #expect((high.real, high.memtop) == expected.highOrderFreePages && high.isWithinTolerance)
        #expect(row(.freePages(node: 0, zone: "DMA"))?.deviationPercent == 0)
        let slab = try #require(row(.slabPages))
        #expect((slab.real, slab.memtop) == expected.slabPages)
        let areas = try #require(row(.vmallocAreasWithPages)), pages = try #require(row(.vmallocPages))
        #expect((areas.real, areas.memtop) == expected.vmallocAreas && (pages.real, pages.memtop) == expected.vmallocPages)
        #expect((comparison.cachesCompared, comparison.cachesPassing) == expected.caches)
        #expect(comparison.missingCaches.isEmpty && comparison.duplicateCacheNames.isEmpty)
        // No bundle's start is within tolerance of its end: each workload changed the state measurably.
        #expect(!comparison.allWithinTolerance)
    }
}

/// A bundle's measured start-to-end change: (real = end, memtop = start) pairs.
struct StartEndCase: Sendable, CustomTestStringConvertible {
    let bundle: String
    let freePages: (Int, Int)
    let freePagesWithin2Percent: Bool
    let highOrderFreePages: (Int, Int)
    let slabPages: (Int, Int)
    let vmallocAreas: (Int, Int)
    let vmallocPages: (Int, Int)
    /// Caches with >= 100 active objects at the end, and how many of them are within 10 % at the start.
    let caches: (Int, Int)

    var testDescription: String { bundle }

    static let all = [
        // 6.1-build: DMA32 −5489 free pages (start is +3.26 % off), slab pages +375 (−6.52 %).
        StartEndCase(bundle: "bundles/6.1-build", freePages: (168603, 174092), freePagesWithin2Percent: false,
                     highOrderFreePages: (168104, 174080), slabPages: (5751, 5376), vmallocAreas: (80, 78),
                     vmallocPages: (1451, 1443), caches: (41, 24)),
        // 6.1-vmalloc: −5752 free pages (+3.42 %), slab +630 (−10.49 %), 6 more vmalloc areas (−7.06 %).
        StartEndCase(bundle: "bundles/6.1-vmalloc", freePages: (168394, 174146), freePagesWithin2Percent: false,
                     highOrderFreePages: (167936, 174136), slabPages: (6007, 5377), vmallocAreas: (85, 79),
                     vmallocPages: (1473, 1447), caches: (44, 22)),
        // 6.12-build: +1246 free pages (−0.71 %, within 2 %), slab +332 (−8.22 %).
        StartEndCase(bundle: "bundles/6.12-build", freePages: (175754, 174508), freePagesWithin2Percent: true,
                     highOrderFreePages: (174392, 174496), slabPages: (4041, 3709), vmallocAreas: (85, 84),
                     vmallocPages: (1324, 1320), caches: (46, 30)),
        // 6.1-mix: −15596 free pages (+4.23 %), slab +242 (−2.05 %), vmalloc unchanged.
        StartEndCase(bundle: "formats/6.1-mix", freePages: (368860, 384456), freePagesWithin2Percent: false,
                     highOrderFreePages: (368848, 384448), slabPages: (11778, 11536), vmallocAreas: (89, 89),
                     vmallocPages: (1487, 1487), caches: (42, 34)),
    ]
}
