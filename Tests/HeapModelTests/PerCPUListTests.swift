@testable import HeapModel
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

    @Test("A traced allocation of a page on memtop's per-CPU list takes it off the list; the buddy lists never see it")
    func placedFromTheList() throws {
        var (m, pages) = try Self.machine(high: 100, batch: 8, count: 12)
        // Eight pages freed to CPU 0's list (no drain below high), buddies of free frames.
        for p in pages.prefix(8) { #expect(m.releaseBlock(at: p, order: 0, cpu: 0) == .toPerCPU) }
        let (buddy, types, free) = (m.buddyinfo(), m.pagetypeinfo(), m.totalFreePages)
        let lists = Self.freeLists(m)
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 0) == 8)
        let report = try m.placeBlock(at: pages[3], order: 0, migrateType: .movable, owner: .outside, cpu: 0)
        #expect(report.relocated == 0 && report.lostFrees == 0)
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 0) == 7)
        #expect(m.owner(of: pages[3]) == .outside)
        // Not merged with its free buddy and split back out: every free list is as it was.
        #expect(m.buddyinfo() == buddy && m.pagetypeinfo() == types && m.totalFreePages == free)
        #expect(Self.freeLists(m) == lists, "the free lists' blocks, in order")
        try m.validateInvariants()
    }

    /// Every buddy free list's blocks, head to tail.
    static func freeLists(_ m: Machine) -> [[Int]] {
        m.freeLists.map { list in
            var blocks: [Int] = [], p = Int(list.head)
            while p >= 0 { blocks.append(p); p = Int(m.frames[p].next) }
            return blocks
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

/// Allocations from the per-CPU lists in placed replays: `rmqueue_pcplist()` for small blocks and
/// the bulk allocator that fills vmalloc areas (6.1 `__alloc_pages_bulk()`, 6.12 `alloc_pages_bulk_noprof()`).
@Suite("Allocating from the per-CPU lists")
struct PerCPUAllocationTests {
    /// A 256 MiB 6.1 machine with lists of `high` 100 and `batch` 8 in DMA32, and 12 movable pages
    /// freed to CPU 0's list (never buddies of each other), the last freed last.
    static func machine() throws -> (Machine, [PageFrameNumber]) {
        var m = TestMachines.kernel(ram: 256 << 20, kernel: .v6_1)
        m.enablePerCPULists(high: [.dma32: 100], batch: [.dma32: 8])
        let pages = try PerCPUListTests.placeSingles(12, on: &m)
        for p in pages { _ = m.releaseBlock(at: p, order: 0, cpu: 0) }
        return (m, pages)
    }

    @Test("A page allocation by a CPU takes the page its list got last; one by another CPU refills that CPU's list from the buddy lists")
    func pageFromTheList() throws {
        var (m, pages) = try Self.machine()
        let free = m.totalFreePages
        let got = try m.allocPages(order: Order(0), gfp: .highUserMovable, cpu: 0)
        #expect(got == pages.last)
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 0) == 11)
        #expect(m.totalFreePages == free)   // the list's pages were never in the buddy lists' count
        // CPU 1's list is empty: 8 pages come off the buddy lists, one is handed out.
        let other = try m.allocPages(order: Order(0), gfp: .highUserMovable, cpu: 1)
        #expect(!pages.contains(other))
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 1) == 7)
        #expect(m.totalFreePages == free - 8)
        // Without a CPU the allocation comes from the buddy lists, as in memtop's own runs.
        _ = try m.allocPages(order: Order(0), gfp: .highUserMovable)
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 0) == 11)
        try m.validateInvariants()
    }

    @Test("The bulk allocator takes a request's pages from the CPU's list, newest first, and refills it as it empties")
    func bulkFromTheList() throws {
        var (m, pages) = try Self.machine()
        var got: [Int32] = []
        #expect(m.allocPagesBulk(20, gfp: .highUserMovable, owner: .vmalloc, cpu: 0, into: &got) == 20)
        #expect(got.prefix(12).map { Int($0) } == pages.reversed().map(\.rawValue))
        // The list emptied after 12: refilled with 8, all taken.
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 0) == 0)
        #expect(Set(got).count == 20 && got.allSatisfy { m.owner(of: PageFrameNumber(Int($0))) == .vmalloc })
        try m.validateInvariants()
    }

    @Test("One page, memory charged to a cgroup, or a zone short of the low watermark plus the request: one page from the page allocator")
    func bulkFallsBackToOnePage() throws {
        var (m, pages) = try Self.machine()
        var got: [Int32] = []
        #expect(m.allocPagesBulk(1, gfp: .highUserMovable, owner: .vmalloc, cpu: 0, into: &got) == 1)
        #expect(m.allocPagesBulk(5, gfp: GFPFlags.highUserMovable.union(.account), owner: .vmalloc, cpu: 0, into: &got) == 1)
        // Those two came from the list too (the page allocator's own per-CPU path).
        #expect(got.map { Int($0) } == pages.suffix(2).reversed().map(\.rawValue))
        // A request larger than what is free above the low watermark gets one page.
        let beyond = m.totalFreePages
        #expect(m.allocPagesBulk(beyond, gfp: .highUserMovable, owner: .vmalloc, cpu: 0, into: &got) == 1)
        #expect(got.count == 3)
        try m.validateInvariants()
    }

    @Test("Memory charged to a cgroup comes in bulk while no cgroup but the root has kmem accounting (memcg_kmem_enabled() off)")
    func accountedBulkWithoutCgroups() throws {
        var (m, _) = try Self.machine()
        m.kmemAccounting = false
        var got: [Int32] = []
        #expect(m.allocPagesBulk(5, gfp: GFPFlags.highUserMovable.union(.account), owner: .vmalloc, cpu: 0, into: &got) == 5)
        #expect(Set(got).count == 5)
        try m.validateInvariants()
    }
}
