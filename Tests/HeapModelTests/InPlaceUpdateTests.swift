@testable import HeapModel
import MemtopTestSupport
import Testing

/// Structures the replay updates in place for speed, checked against the plain ways they replace.
@Suite("In-place updates keep what plain ones would")
struct InPlaceUpdateTests {
    @Test("updateEach over ranges within and across chunks writes what element-by-element writes do")
    func chunkedRanges() {
        let size = ChunkedArray<Int32>.chunkSize
        var rng = SeededGenerator(seed: 3)
        var fast = ChunkedArray<Int32>(repeating: 0, count: size * 3 + 17)
        var plain = fast
        let shared = fast
        for round in 0..<200 {
            let a = Int.random(in: 0..<fast.count, using: &rng)
            let b = Int.random(in: a...min(fast.count, a + size + 50), using: &rng)
            fast.updateEach(in: a..<b) { $0 = $0 &* 3 &+ Int32(round) }
            for i in a..<b { plain[i] = plain[i] &* 3 &+ Int32(round) }
        }
        #expect(fast == plain)
        // A copy taken before is untouched (copy on write, chunk by chunk).
        #expect(shared.allSatisfy { $0 == 0 })
        fast.updateEach(in: 5..<5) { $0 = -1 }
        #expect(fast == plain)
    }

    @Test("vmalloc's free-space search finds what a walk over the areas finds, through frees and purges")
    func vmapSpans() throws {
        var m = TestMachines.kernel(ram: 256 << 20, kernel: .v6_1)
        var rng = SeededGenerator(seed: 9)
        var live: [VirtualAddress] = []
        let site = m.callSite("vmap_test+0x0/0x10")
        for _ in 0..<1500 {
            switch Int.random(in: 0..<10, using: &rng) {
            case 0..<5:
                let size = Page.size * Int.random(in: 1...64, using: &rng)
                // Mostly page-aligned, so that areas lie back to back and the search skips runs of them.
                let align = Int.random(in: 0..<3, using: &rng) == 0 ? Page.size << Int.random(in: 1...6, using: &rng) : Page.size
                let expected = Self.lowestFit(size: size, align: align, in: m.vmap)
                let start = m.reserveVmapArea(size: size, align: align, requested: size, caller: site)
                // The 32 TiB range never fills here, so no purge-and-retry: the search's answer is the walk's.
                #expect(start == expected)
                if let start { live.append(start) }
            case 5..<8:
                if !live.isEmpty { m.lazilyFreeVmapArea(startingAt: live.remove(at: Int.random(in: 0..<live.count, using: &rng)), site: site) }
            case 8:
                if !live.isEmpty { m.dropVmapArea(startingAt: live.remove(at: Int.random(in: 0..<live.count, using: &rng))) }
            default:
                m.purgeLazyVmapAreas()
            }
            let areas = m.vmap.areas
            for (i, area) in areas.enumerated() {
                #expect(m.vmap.areaIndex(startingAt: area.start) == i)
                #expect(m.vmap.areaIndex(containing: area.start.advanced(by: area.size - 1)) == i)
            }
            #expect(zip(areas, areas.dropFirst()).allSatisfy { $0.end <= $1.start })
        }
        #expect(m.vmap.areaIndex(containing: m.vmap.start.advanced(by: -1)) == nil)
    }

    @Test("The vector search of a page list finds the first match, as firstIndex(of:) does")
    func pageSearch() {
        var rng = SeededGenerator(seed: 21)
        for _ in 0..<3000 {
            let n = Int.random(in: 0..<70, using: &rng)
            let pages = (0..<n).map { _ in Int32.random(in: 0..<12, using: &rng) }
            let value = Int32.random(in: 0..<14, using: &rng)
            let found = pages.withUnsafeBufferPointer { VmapSpace.firstIndex(of: value, in: $0) }
            #expect(found == pages.firstIndex(of: value), "\(pages) \(value)")
        }
    }

    /// `find_vmap_lowest_match()` the slow way: a walk over the areas themselves.
    static func lowestFit(size: Int, align: Int, in space: VmapSpace) -> VirtualAddress? {
        let a = UInt64(align)
        var candidate = (space.start.rawValue + a - 1) / a * a
        for area in space.areas {
            if candidate + UInt64(size) <= area.start.rawValue { break }
            if area.end.rawValue > candidate { candidate = (area.end.rawValue + a - 1) / a * a }
        }
        guard candidate <= space.end.rawValue, space.end.rawValue - candidate + 1 >= UInt64(size) else { return nil }
        return VirtualAddress(candidate)
    }
}
