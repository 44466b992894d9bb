import HeapModel
import MemtopTestSupport
import Testing

/// Which SLUB list a slab is on in a replay that places objects as traced.
@Suite("Slab lists in placed replays")
struct PlacedSlabListTests {
    /// A 6.1 machine whose memory is all of unknown owner, with `slabs` rebuilt slabs of a new
    /// 256-byte cache, each with `inUse` objects (on the node partial list when not full).
    static func machine(slabs: Int, inUse: Int) throws -> (Machine, CacheID) {
        var m = TestMachines.kernel(ram: 256 << 20, kernel: .v6_1)
        m.slabPagesFollowTrace = true
        let created = m.createCache(name: "test_cache", objectSize: 256, size: 256, align: 8)
        let id = try #require(created)
        m.takeAllFreeMemoryAsUnknown()
        let made = m.reconstructSlabs(of: id, order: 0, count: slabs, objectsInUse: { _ in inUse })
        #expect(made == slabs)
        return (m, id)
    }

    /// The first frame of each slab of `id`.
    static func slabFrames(_ m: Machine, _ id: CacheID) -> [Int] {
        (0..<m.endPFN).filter { m.owner(of: PageFrameNumber($0)) == .slab(id) }
    }

    @Test("A CPU that takes a slab from the node partial list takes the next ones onto its partial list (get_partial_node)")
    func nodePartialsMoveToTheCPU() throws {
        var (m, id) = try Self.machine(slabs: 8, inUse: 3)
        #expect(m.cache(id).partialCount == 8)
        let first = try #require(Self.slabFrames(m, id).first)
        // The trace allocates the object in slot 3 (free) of a rebuilt partial slab.
        let p = VirtualAddress.directMap(PageFrameNumber(first)).advanced(by: 3 * 256)
        let outcome = m.placeObject(at: p, cache: id, requested: 256, cpu: 1)
        #expect(outcome == .inSlab)
        let taken = min(7, m.cache(id).cpuPartialSlabs / 2 + 1)
        #expect(taken > 0)
        #expect(m.cache(id).partialCount == 7 - taken)
        // slabinfo counts the free objects of CPU partial slabs as active.
        #expect(m.cache(id).activeObjects == 8 * 16 - (7 - taken) * 13)
        try m.validateInvariants()
    }

    @Test("A slab seen before its cache was known keeps its CPU when named, and takes the place of a rebuilt slab")
    func provisionalSlabMerges() throws {
        var (m, id) = try Self.machine(slabs: 2, inUse: 16)
        let created = m.createCache(name: "cache-256-256", objectSize: 256, size: 256, align: 8)
        let provisional = try #require(created)
        // An object where no slab was known and no page was allocated for one: a slab from before tracing.
        let p = VirtualAddress.directMap(PageFrameNumber(0x9000))
        let outcome = m.placeObject(at: p, cache: provisional, requested: 256, cpu: 0)
        #expect(outcome == .claimedSlab)
        let moved = m.moveSlab(holding: p, to: id)
        #expect(moved)
        #expect(m.cache(id).slabCount == 3)
        #expect(m.cache(id).partialCount == 0, "CPU 0's active slab stays active, off the node partial list")
        let merged = m.mergeReconstructedSlab(of: id, into: p)
        #expect(merged)
        #expect(m.cache(id).slabCount == 2)
        #expect(m.cache(provisional).slabCount == 0)
        // The rebuilt slab's 16 objects fill the 15 free slots; the traced object stays where it is.
        #expect(m.cache(id).objectsInUse == 32)
        #expect(m.locateObject(p)?.inUse == true)
        try m.validateInvariants()
    }

    @Test("A traced page free where memtop rebuilt a slab frees unknown memory there; the slab moves onto other unknown memory")
    func rebuiltSlabMovesAside() throws {
        var (m, id) = try Self.machine(slabs: 3, inUse: 16)
        let frame = try #require(Self.slabFrames(m, id).first)
        let free = m.totalFreePages
        let outcome = m.releaseBlock(at: PageFrameNumber(frame), order: 0, cpu: nil)
        #expect(outcome == .freed)
        #expect(m.totalFreePages == free + 1)
        #expect(m.cache(id).slabCount == 3 && m.cache(id).objectsInUse == 48)
        #expect(!Self.slabFrames(m, id).contains(frame))
        try m.validateInvariants()
    }

    @Test("A CPU's slab that the trace leaves for another while memtop sees free slots in it goes on no list, counted active as the kernel's full slab")
    func leftSlabStaysActive() throws {
        var (m, id) = try Self.machine(slabs: 2, inUse: 16)
        let frames = Self.slabFrames(m, id)
        let a = VirtualAddress.directMap(PageFrameNumber(frames[0])), b = VirtualAddress.directMap(PageFrameNumber(frames[1]))
        _ = m.placeObject(at: a, cache: id, requested: 256, cpu: 0)   // CPU 0's slab: a, full
        try m.slabFree(a.advanced(by: 256), cpu: 0)                    // a has a free slot while active
        let active = m.cache(id).activeObjects
        _ = m.placeObject(at: b, cache: id, requested: 256, cpu: 0)   // the trace moves on to b
        #expect(m.cache(id).partialCount == 0)
        #expect(m.cache(id).activeObjects == active)
        try m.validateInvariants()
    }

    @Test("Traced objects taken from the middle, head and end of a freelist leave it whole: frees go to its head, allocations take them back last-freed first")
    func freelistUnlinksInPlace() throws {
        var (m, id) = try Self.machine(slabs: 1, inUse: 3)
        let first = try #require(Self.slabFrames(m, id).first)
        func slot(_ k: Int) -> VirtualAddress { VirtualAddress.directMap(PageFrameNumber(first)).advanced(by: k * 256) }
        // Slots 3...15 are free, in address order: take the middle, the end, then the head.
        for k in [9, 15, 3, 4, 12] {
            #expect(m.placeObject(at: slot(k), cache: id, requested: 200, cpu: 0) == .inSlab)
            try m.validateInvariants()
        }
        #expect(m.cache(id).activeObjects == 16, "the CPU's active slab counts as active")
        // Frees go to the head of the list; the slab's next allocations take them back in reverse.
        for k in [9, 4, 15] { _ = try m.slabFree(slot(k), cpu: 0) }
        try m.validateInvariants()
        var taken: [VirtualAddress] = []
        for _ in 0..<3 { taken.append(try m.slabAlloc(id, gfp: .kernel, requested: 256, cpu: 0)) }
        #expect(taken == [slot(15), slot(4), slot(9)])
        // Then the free slots the trace never took, in address order.
        let rest = try (0..<8).map { _ in try m.slabAlloc(id, gfp: .kernel, requested: 256, cpu: 0) }
        #expect(rest == [5, 6, 7, 8, 10, 11, 13, 14].map(slot))
        try m.validateInvariants()
        #expect(throws: Machine.ObjectFreeProblem.alreadyFree) { _ = try m.slabFree(slot(3)); _ = try m.slabFree(slot(3)) }
        try m.validateInvariants()
    }
}
