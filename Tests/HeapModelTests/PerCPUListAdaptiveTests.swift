import HeapModel
import MemtopTestSupport
import Testing

/// Per-CPU page lists of 6.7 and later, whose `high` moves with the traffic (6.12
/// `mm/page_alloc.c`: `free_unref_page_commit()`, `nr_pcp_high()`, `nr_pcp_free()`), against 6.1's.
@Suite("Per-CPU page lists, 6.12 rules")
struct PerCPUListAdaptiveTests {
    /// A 256 MiB machine of `kernel` with DMA32 lists of `high` (high_min from 6.12 on) and
    /// `batch`, and `count` order-`order` blocks placed as traced, none a buddy of another.
    static func machine(_ kernel: KernelVersion, high: Int, batch: Int, count: Int, order: Int = 0,
                        at base: Int = 0x9000) throws -> (Machine, [PageFrameNumber]) {
        var m = TestMachines.kernel(ram: 256 << 20, kernel: kernel)
        m.enablePerCPULists(high: [.dma32: high], batch: [.dma32: batch])
        let blocks = try (0..<count).map { k in
            let p = PageFrameNumber(base + (2 << order) * k)
            try m.placeBlock(at: p, order: Order(order), migrateType: .movable, owner: .outside)
            return p
        }
        return (m, blocks)
    }

    @Test("A second high-order free in a row, with free_count at least batch, drains the list; 6.1 keeps it",
          arguments: [KernelVersion.v6_1, .v6_12, .v6_18])
    func consecutiveHighOrderFrees(kernel: KernelVersion) throws {
        let (machine, pages) = try Self.machine(kernel, high: 1000, batch: 4, count: 10)
        var m = machine
        let blocks = try [0xa000, 0xa004].map { p in
            try m.placeBlock(at: PageFrameNumber(p), order: 1, migrateType: .movable, owner: .outside)
            return PageFrameNumber(p)
        }
        for p in pages { _ = m.releaseBlock(at: p, order: 0, cpu: 0) }
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 0) == 10)
        _ = m.releaseBlock(at: blocks[0], order: 1, cpu: 0)
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 0) == 12, "the first high-order free only notes itself")
        _ = m.releaseBlock(at: blocks[1], order: 1, cpu: 0)
        let expected = kernel.adaptsPerCPUHigh ? 0 : 14
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 0) == expected, "free_high drains min(count, batch << 5) from 6.7 on")
        try m.validateInvariants()
    }

    @Test("At high, a drain frees free_count pages (batch ... high - batch) and high grows to hold free_count + batch")
    func highGrows() throws {
        let (machine, pages) = try Self.machine(.v6_12, high: 20, batch: 2, count: 40)
        var m = machine
        for p in pages.prefix(20) { _ = m.releaseBlock(at: p, order: 0, cpu: 0) }
        // count 20 = high: free_count 20 frees min(max(20, 2), 20 - 2) = 18; high becomes 22.
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 0) == 2)
        for p in pages.suffix(20) { _ = m.releaseBlock(at: p, order: 0, cpu: 0) }
        // count 22 = the new high: free_count 40 frees min(40, 22 - 2) = 20.
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 0) == 2)
        try m.validateInvariants()

        let (before, oldPages) = try Self.machine(.v6_1, high: 20, batch: 2, count: 20)
        var old = before
        for p in oldPages { _ = old.releaseBlock(at: p, order: 0, cpu: 0) }
        #expect(old.perCPUPageCount(zone: .dma32, cpu: 0) == 18, "6.1 frees batch pages at high")
    }
}
