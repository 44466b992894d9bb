import HeapModel
import Testing

@Suite("Fragmentation indices")
struct FragmentationTests {
    @Test("The hand-worked small zone 10 4 2: extfrag 0.735 at order 3, unusable 0.384 at order 1")
    func smallZone() {
        let nrFree = [10, 4, 2, 0, 0, 0, 0, 0, 0, 0, 0]
        let extfrag = (0...10).map { Fragmentation.formatExtfrag(Fragmentation.extfragIndex(nrFree: nrFree, order: Order($0))) }
        #expect(extfrag == ["-1.000", "-1.000", "-1.000", " 0.735", " 0.836", " 0.887", " 0.913", " 0.925", " 0.932", " 0.935", " 0.936"])
        let unusable = (0...10).map { Fragmentation.formatUnusable(Fragmentation.unusableIndex(nrFree: nrFree, order: Order($0))) }
        #expect(unusable == ["0.000", "0.384", "0.692", "1.000", "1.000", "1.000", "1.000", "1.000", "1.000", "1.000", "1.000"])
    }

    @Test("The real 6.18 Normal zone: -1.000 everywhere, unusable 0.097 at order 10")
    func realNormalZone() {
        let nrFree = [231, 271, 397, 331, 194, 72, 39, 20, 5, 0, 151]
        #expect(Fragmentation.contigInfo(nrFree: nrFree, order: 0).freePages == 171377)
        #expect((0...10).allSatisfy { Fragmentation.extfragIndex(nrFree: nrFree, order: Order($0)) == -1000 })
        let unusable = (0...10).map { Fragmentation.formatUnusable(Fragmentation.unusableIndex(nrFree: nrFree, order: Order($0))) }
        #expect(unusable == ["0.000", "0.001", "0.004", "0.013", "0.029", "0.047", "0.060", "0.075", "0.090", "0.097", "0.097"])
    }

    @Test("No free memory: extfrag 0, unusable 1.000")
    func empty() {
        let nrFree = [Int](repeating: 0, count: 11)
        #expect(Fragmentation.extfragIndex(nrFree: nrFree, order: 3) == 0)
        #expect(Fragmentation.unusableIndex(nrFree: nrFree, order: 3) == 1000)
        #expect(Fragmentation.largestFreeOrder(nrFree: nrFree) == nil)
    }

    @Test("The debugfs files of a 128 MiB machine after pinning every other page")
    func pinnedPagesFile() throws {
        var m = try Machine(MachineConfiguration(ramBytes: 128 << 20, kernel: .v6_18))
        var pages: [PageFrameNumber] = []
        // __GFP_MEMALLOC ignores the watermarks, so this takes every free page.
        while let p = try? m.allocPages(order: 0, gfp: [.highUserMovable, .memalloc, .noWarn]) { pages.append(p) }
        #expect(m.totalFreePages == 0)
        for p in pages where p.rawValue & 1 == 0 { try m.freePages(p, order: 0) }
        // Every free block is a single page now, so nothing of order >= 1 can be served.
        for zone in m.populatedZones {
            #expect(zone.nrFree.dropFirst().allSatisfy { $0 == 0 })
        }
        let lines = m.extfragIndexFile().split(separator: "\n")
        #expect(lines.count == 2)
        // Order 1 with n single pages: 1000 - (1000 + n*500)/n = 500 for n > 1000.
        #expect(lines[0].hasPrefix("Node 0, zone      DMA -1.000  0.500  0.750  0.875"))
        #expect(m.unusableIndexFile().split(separator: "\n")[1].hasPrefix("Node 0, zone    DMA32 0.000 1.000 1.000"))
    }
}
