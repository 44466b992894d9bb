import HeapModel
import MemtopTestSupport
import Testing

/// Blocks placed where a trace says, freed where it says, with memtop's own blocks giving way.
@Suite("Placing pages as a trace did")
struct PlacementTests {
    static func machine() -> Machine { TestMachines.kernel(ram: 256 << 20, kernel: .v6_1) }

    @Test("A traced block is carved out of the free block holding it; the rest stays free, nothing merges wrongly")
    func carve() throws {
        var m = Self.machine()
        let before = m.totalFreePages
        let pfn = PageFrameNumber(0x8000 + 0x123 * 4)   // inside a free order-10 block, 4-page aligned
        let report = try m.placeBlock(at: pfn, order: 2, migrateType: .unmovable, owner: .pages)
        #expect(report == Machine.PlacementReport())
        #expect(m.totalFreePages == before - 4)
        #expect(m.owner(of: pfn) == .pages && m.blockOrder(at: pfn) == 2 && m.placement(of: pfn) == .observed)
        try m.validateInvariants()
        #expect(m.releaseBlock(at: pfn, order: 2, cpu: nil) == .freed)
        #expect(m.totalFreePages == before)
        #expect(m.buddyinfo() == Self.machine().buddyinfo(), "the freed block merged back into its order-10 block")
        try m.validateInvariants()
    }

    @Test("A block not aligned to its size is refused, and the machine is unchanged")
    func misaligned() throws {
        var m = Self.machine()
        let before = m
        #expect(throws: Machine.PlacementProblem.misaligned) {
            try m.placeBlock(at: PageFrameNumber(0x73a2), order: 5, migrateType: .movable, owner: .outside)
        }
        #expect(m == before)
        try m.validateInvariants()
    }

    @Test("memtop's own block gives way and moves; a traced block the trace never freed counts as a lost free")
    func giveWay() throws {
        var m = Self.machine()
        let mine = try m.allocPages(order: 0, gfp: .kernel, owner: .pages)
        let used = m.totalManagedPages - m.totalFreePages
        let report = try m.placeBlock(at: mine, order: 0, migrateType: .movable, owner: .outside)
        #expect(report.relocated == 1 && report.lostFrees == 0)
        #expect(m.owner(of: mine) == .outside)
        #expect(m.totalManagedPages - m.totalFreePages == used + 1, "memtop's page moved; the traced one is new")
        let again = try m.placeBlock(at: mine, order: 0, migrateType: .movable, owner: .outside)
        #expect(again.lostFrees == 1 && again.relocated == 0)
        try m.validateInvariants()
    }

    @Test("Frees go to the CPU's per-CPU list, not the buddy lists, until it passes high; then batch pages drain, oldest first")
    func perCPU() throws {
        var m = Self.machine()
        m.enablePerCPULists(high: [.dma32: 4], batch: [.dma32: 2])
        let pages = try (0..<5).map { k in
            let p = PageFrameNumber(0x9000 + 2 * k)   // never buddies of each other
            try m.placeBlock(at: p, order: 0, migrateType: .movable, owner: .outside)
            return p
        }
        let free = m.totalFreePages
        for p in pages.prefix(3) { #expect(m.releaseBlock(at: p, order: 0, cpu: 1) == .toPerCPU) }
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 1) == 3 && m.totalFreePages == free)
        #expect(m.owner(of: pages[0]) == .perCPU)
        _ = m.releaseBlock(at: pages[3], order: 0, cpu: 1)   // reaches high: two drain
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 1) == 2 && m.totalFreePages == free + 2)
        #expect(m.owner(of: pages[0]) == .free && m.owner(of: pages[1]) == .free, "the oldest drained first")
        // A traced allocation of a page on a per-CPU list takes it from there.
        try m.placeBlock(at: pages[2], order: 0, migrateType: .movable, owner: .outside)
        #expect(m.perCPUPageCount(zone: .dma32, cpu: 1) == 1)
        try m.validateInvariants()
    }

    @Test("A part of a larger block is split off and freed alone (split_page)")
    func splitPage() throws {
        var m = Self.machine()
        let head = PageFrameNumber(0xa000)
        try m.placeBlock(at: head, order: 2, migrateType: .unmovable, owner: .pages)
        let free = m.totalFreePages
        #expect(m.releaseBlock(at: PageFrameNumber(0xa003), order: 0, cpu: nil) == .freed)
        #expect(m.totalFreePages == free + 1)
        #expect(m.owner(of: head) == .pages && m.blockOrder(at: head) == 0 && m.blockOrder(at: PageFrameNumber(0xa001)) == 0)
        #expect(m.releaseBlock(at: PageFrameNumber(0xa003), order: 0, cpu: nil) == .alreadyFree)
        try m.validateInvariants()
    }

    @Test("Reserved frames refuse placement unless reservations are memtop's reckoning; then the reservation moves")
    func reservations() throws {
        var m = Self.machine()
        let image = PageFrameNumber(0x1000 + 16)   // the kernel image memtop reserves at 16 MiB
        #expect(m.owner(of: image) == .reserved)
        #expect(throws: Machine.PlacementProblem.notManaged) { try m.placeBlock(at: image, order: 0, migrateType: .unmovable, owner: .pages) }
        m.reservationsAreReconstructed = true
        let managed = m.totalManagedPages, free = m.totalFreePages
        let report = try m.placeBlock(at: image, order: 0, migrateType: .unmovable, owner: .pages)
        #expect(report.relocated == 1)
        #expect(m.totalManagedPages == managed && m.totalFreePages == free - 1)
        #expect(m.owner(of: image) == .pages)
        try m.validateInvariants()
    }

    @Test("A traced free of frames memtop holds as reserved frees them; the reservation moves to the stand-in")
    func freedReservation() throws {
        var m = Self.machine()
        let image = PageFrameNumber(0x1000 + 32)
        let refused = m.freeMisplacedReservation(at: image, order: 0, standIn: .freeFrames, cpu: nil)
        #expect(!refused, "only when reservations are memtop's reckoning")
        m.reservationsAreReconstructed = true
        let managed = m.totalManagedPages, free = m.totalFreePages
        // memtop's own stand-in was already freed (a vmalloc page of its choosing): the count stays.
        let moved = m.freeMisplacedReservation(at: image, order: 0, standIn: .freeFrames, cpu: nil)
        #expect(moved)
        #expect(m.owner(of: image) == .free)
        #expect(m.totalManagedPages == managed && m.totalFreePages == free)
        // A block of unknown used memory stood for it: that block is reserved now, and one more page is free.
        m.takeAllFreeMemoryAsUnknown()
        let other = PageFrameNumber(0x1000 + 64)
        let unknown = try #require(m.reconstructedBlock(order: 0, inZoneOf: other, from: PageFrameNumber(0)))
        #expect(unknown >= m[zone: .dma32].startPFN, "a stand-in of the same zone")
        let wrongOrder = m.freeMisplacedReservation(at: other, order: 1, standIn: .reconstructedBlock(unknown), cpu: nil)
        #expect(!wrongOrder, "a stand-in of another order is refused")
        let swapped = m.freeMisplacedReservation(at: other, order: 0, standIn: .reconstructedBlock(unknown), cpu: nil)
        #expect(swapped)
        #expect(m.owner(of: other) == .free && m.owner(of: unknown) == .reserved)
        #expect(m.totalManagedPages == managed && m.totalFreePages == 1)
        let again = m.freeMisplacedReservation(at: other, order: 0, standIn: .freeFrames, cpu: nil)
        #expect(!again, "not reserved any more")
        try m.validateInvariants()
    }

    @Test("free_reserved_page: boot memory set free joins its zone's managed pages")
    func bootMemoryFreed() throws {
        var m = Self.machine()
        let image = PageFrameNumber(0x1000 + 8)
        let managed = m[zone: .dma32].managedPages, free = m.totalFreePages
        let freed = m.freeReservedFrames(at: image, order: 1, cpu: nil)
        #expect(freed)
        #expect(m[zone: .dma32].managedPages == managed + 2 && m.totalFreePages == free + 2)
        #expect(m.owner(of: image) == .free && m.owner(of: image.advanced(by: 1)) == .free)
        let again = m.freeReservedFrames(at: image, order: 0, cpu: nil)
        #expect(!again, "only reserved frames")
        try m.validateInvariants()
    }

    @Test("A rebuilt state has the counts it was given: free blocks by order and type, no merges")
    func reconstruction() throws {
        var m = Self.machine()
        m.takeAllFreeMemoryAsUnknown()
        #expect(m.totalFreePages == 0)
        m.setPageblockTypes(zone: .dma32, counts: [.unmovable: 10, .reclaimable: 2])
        #expect(m.reconstructFreeBlocks(zone: .dma32, order: 9, type: .movable, count: 3) == 3)
        #expect(m.reconstructFreeBlocks(zone: .dma32, order: 0, type: .unmovable, count: 40) == 40)
        #expect(m.reconstructFreeBlocks(zone: .dma32, order: 3, type: .reclaimable, count: 5) == 5)
        #expect(m.freeBlockCount(zone: .dma32, order: 9, migrateType: .movable) == 3)
        #expect(m.freeBlockCount(zone: .dma32, order: 0, migrateType: .unmovable) == 40)
        #expect(m.freeBlockCount(zone: .dma32, order: 3, migrateType: .reclaimable) == 5)
        #expect(m[zone: .dma32].freePages == 3 * 512 + 40 + 5 * 8)
        try m.validateInvariants()
    }
}

/// The page allocator's last resorts, which the review found untested.
@Suite("Page allocator reserves")
struct ReserveTests {
    @Test("__GFP_NOFAIL gets the min-reserve last resort once ordinary requests fail at the min watermark", arguments: KernelVersion.allCases)
    func noFail(kernel: KernelVersion) throws {
        var m = TestMachines.kernel(ram: 256 << 20, kernel: kernel)
        while (try? m.allocPages(order: 0, gfp: [.kernel, .noWarn], owner: .pages)) != nil {}
        let free = m.totalFreePages
        #expect(throws: PageAllocationFailure.self) { try m.allocPages(order: 0, gfp: [.kernel, .noWarn], owner: .pages) }
        #expect(m.totalFreePages == free)
        let page = try m.allocPages(order: 0, gfp: [.kernel, .noFail], owner: .pages)
        #expect(m.owner(of: page) == .pages && m.totalFreePages == free - 1)
        // The last resort reaches half of min, no further: it too fails once that is used.
        var granted = 1
        while (try? m.allocPages(order: 0, gfp: [.kernel, .noFail, .noWarn], owner: .pages)) != nil { granted += 1 }
        let dma32 = m[zone: .dma32]
        #expect(granted > 0 && dma32.freePages <= dma32.watermarks.min, "\(granted) granted, \(dma32.freePages) free, min \(dma32.watermarks.min)")
        #expect(dma32.freePages >= dma32.watermarks.min / 2 - 1)
        try m.validateInvariants()
    }
}
