import HeapModel
import MemtopTestSupport
import Testing

/// Per-CPU page lists in placed replays: how much a drain frees, and where a traced small
/// allocation's page came from (6.1 `mm/page_alloc.c`: `nr_pcp_free()`, `rmqueue_pcplist()`).
@Suite("Per-CPU page lists")
struct PerCPUListTests {
    /// A 256 MiB 6.1 machine with lists of `high` and `batch` in DMA32, and `count` order-0 pages
    /// placed as traced at frames that are never buddies of each other.
    static func machine(high: Int, batch: Int, count: Int) throws -> (Machine, [PageFrameNumber]) {
        var m = TestMachines.kernel(ram: 256 << 20, kernel: .v6_1)
        m.enablePerCPULists(high: [.dma32: high], batch: [.dma32: batch])
        let pages = try placeSingles(count, on: &m)
        return (m, pages)
    }

    /// `count` order-0 pages placed as traced on `m` at frames that are never buddies of each other.
    static func placeSingles(_ count: Int, on m: inout Machine) throws -> [PageFrameNumber] {
        try (0..<count).map { k in
            let p = PageFrameNumber(0x9000 + 2 * k)
            try m.placeBlock(at: p, order: 0, migrateType: .movable, owner: .outside)
            return p
        }
    }

    @Test("Drains with no allocation between them free batch pages, then twice, four times as many; an allocation halves that")
    func drainsGrow() throws {
        var (m, pages) = try Self.machine(high: 20, batch: 2, count: 40)
        var left = pages[...]
        func free(_ n: Int) { for p in left.prefix(n) { _ = m.releaseBlock(at: p, order: 0, cpu: 0) }; left = left.dropFirst(n) }
        free(20)   // reaches high: 2 pages drain
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 0) == 18)
        free(2)    // 20 again: 4 drain
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 0) == 16)
        free(4)    // 20 again: 8 drain
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 0) == 12)
        // A traced allocation from the list halves the factor (3 -> 1): the next drain frees 4.
        try m.placeBlock(at: pages[25], order: 0, migrateType: .movable, owner: .outside, cpu: 0)
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 0) == 11)
        free(9)
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 0) == 16)
        try m.validateInvariants()
    }

    @Test("A drain starts with the list just freed to and empties it, oldest first, before it goes on to the next list")
    func drainStartsWithTheFreedList() throws {
        var m = TestMachines.kernel(ram: 256 << 20, kernel: .v6_1)
        m.enablePerCPULists(high: [.dma32: 24], batch: [.dma32: 4])
        let pairs = try (0..<6).map { k in
            let p = PageFrameNumber(0xa000 + 4 * k)
            try m.placeBlock(at: p, order: 1, migrateType: .movable, owner: .outside)
            return p
        }
        let singles = try Self.placeSingles(12, on: &m)
        for p in pairs { _ = m.releaseBlock(at: p, order: 1, cpu: 0) }
        for p in singles { _ = m.releaseBlock(at: p, order: 0, cpu: 0) }
        // 24 pages: the order-0 list, freed to last, gives its four oldest pages; the order-1 list keeps all.
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 0) == 20)
        #expect(singles.prefix(4).allSatisfy { m.owner(of: $0) == .free })
        #expect(singles.dropFirst(4).allSatisfy { m.owner(of: $0) == .perCPU })
        #expect(pairs.allSatisfy { m.owner(of: $0) == .perCPU })
        try m.validateInvariants()
    }

    @Test("A traced small allocation of a page the CPU's list does not hold: the list refills from the buddy lists when empty, else gives up a page")
    func refillAndStandIn() throws {
        var m = TestMachines.kernel(ram: 256 << 20, kernel: .v6_1)
        m.enablePerCPULists(high: [.dma32: 100], batch: [.dma32: 8])
        let free = m.totalFreePages
        // Empty list: the kernel took 8 pages (rmqueue_bulk), handed out the traced one and kept 7.
        try m.placeBlock(at: PageFrameNumber(0x9000), order: 0, migrateType: .unmovable, owner: .pages, cpu: 1)
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 1) == 7)
        #expect(m.totalFreePages == free - 8)
        // The list has pages, but not this one: one of them stood in for it and goes back.
        try m.placeBlock(at: PageFrameNumber(0xa000), order: 0, migrateType: .unmovable, owner: .pages, cpu: 1)
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 1) == 6)
        #expect(m.totalFreePages == free - 8)
        // An order-1 request uses the order-1 list: refilled with max(8 >> 1, 2) = 4 blocks, 3 kept.
        try m.placeBlock(at: PageFrameNumber(0xb000), order: 1, migrateType: .unmovable, owner: .pages, cpu: 1)
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 1) == 6 + 3 * 2)
        try m.validateInvariants()
    }
}
