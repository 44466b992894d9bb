import HeapModel
import MemtopTestSupport
import Testing

@Suite("Buddy allocator")
struct BuddyAllocatorTests {
    @Test("First GFP_KERNEL page claims an order-10 Movable block and splits it down, upper halves to the lists")
    func firstUnmovableAllocationSplits() throws {
        var m = TestMachines.make(ram: 128 << 20, kernel: .v6_18)
        let pfn = try m.allocPages(order: 0, gfp: .kernel)
        // DMA32's first order-10 block (list head) starts at 14336; the request claims it (order >= pageblock_order)
        // and keeps the lowest page. Halves of orders 9...0 go back: one more block at each order.
        #expect(pfn == PageFrameNumber(14336))
        #expect(m.buddyinfo() == """
            Node 0, zone      DMA      0      0      0      0      0      0      0      0      1      1      3 
            Node 0, zone    DMA32      1      2      1      3      2      1      3      3      2      2     16 

            """)
        #expect(m.pageblockMigrateType(of: pfn) == .unmovable)
        #expect(m.pageblockMigrateType(of: PageFrameNumber(14336 + 512)) == .unmovable)
        #expect(m.freeBlockCount(zone: .dma32, order: 9, migrateType: .unmovable) == 1)
        m.checkInvariants()

        // Freeing merges every half back: buddyinfo is as booted; the block stays Unmovable.
        try m.freePages(pfn, order: 0)
        #expect(m.buddyinfo() == TestMachines.make(ram: 128 << 20, kernel: .v6_18).buddyinfo())
        #expect(m.freeBlockCount(zone: .dma32, order: 10, migrateType: .unmovable) == 1)
        m.checkInvariants()
    }

    @Test("Buddies are found by XOR and merge into the lower address")
    func buddyMerge() throws {
        var m = TestMachines.make(ram: 128 << 20)
        m.setRecording(true)
        let a = try m.allocPages(order: 0, gfp: .highUserMovable)
        let b = try m.allocPages(order: 0, gfp: .highUserMovable)
        #expect(b.rawValue == a.rawValue ^ 1)
        _ = m.takeEvents()
        try m.freePages(a, order: 0)
        try m.freePages(b, order: 0)
        let merges = m.takeEvents().compactMap { e -> (Int, Int)? in
            if case let .buddiesMerged(pfn, order, _) = e.kind { return (pfn.rawValue, order.rawValue) }
            return nil
        }
        #expect(merges.first.map { $0 == (min(a.rawValue, b.rawValue), 1) } == true)
        m.checkInvariants()
    }

    @Test("An allocation and its free leave a movable machine as booted, up to free-list order")
    func allocFreeRoundTrip() throws {
        let booted = TestMachines.make(ram: 128 << 20)
        for order in 0...Page.maxOrder {
            var m = booted
            guard let pfn = try? m.allocPages(order: Order(order), gfp: .highUserMovable) else { continue }
            #expect(pfn.rawValue & ((1 << order) - 1) == 0, "block aligned to its order")
            try m.freePages(pfn, order: Order(order))
            // Boot put the block at its list's tail and the free puts it back at the head (orders 9
            // and 10 are never "merge likely"), so only the order of blocks within a list may
            // differ; every frame, count and type is as booted. Head or tail: mergeLikely below.
            let differences = m.differences(from: booted).filter { !$0.hasPrefix("freeLists") }
            #expect(differences.isEmpty, "order \(order): \(differences)")
            #expect(m.pagetypeinfo() == booted.pagetypeinfo())
        }
    }

    @Test("A freed block goes to the tail of its list when its buddy one order up is free (buddy_merge_likely), else the head",
          arguments: [false, true])
    func mergeLikely(higherBuddyFree: Bool) throws {
        // Every page taken; the pageblock at 20480 (DMA32) held as order-0 pages.
        var m = TestMachines.make(ram: 128 << 20)
        var pages = Set<Int>()
        while let p = try? m.allocPages(order: 0, gfp: [.highUserMovable, .memalloc, .noWarn]) { pages.insert(p.rawValue) }
        let b = PageFrameNumber(20480)
        try #require((0..<Page.pageblockPages).allSatisfy { pages.contains(b.rawValue + $0) })
        func free(_ offsets: Range<Int>) throws { for o in offsets { try m.freePages(b.advanced(by: o), order: 0) } }
        try free(64..<66)      // an order-1 block at +64; its order-2 buddy (+68) is taken: list head
        if higherBuddyFree { try free(4..<8) }   // an order-2 block at +4
        try free(2..<4)        // an order-1 block at +2, whose order-2 buddy is +4
        #expect(m.freeBlockCount(zone: .dma32, order: 1, migrateType: .movable) == 2)
        // The next order-1 request takes the list head.
        let next = try m.allocPages(order: 1, gfp: [.highUserMovable, .memalloc, .noWarn])
        #expect(next == b.advanced(by: higherBuddyFree ? 64 : 2))
        m.checkInvariants()
    }

    @Test("A machine copy is a snapshot: mutating one leaves the other as it was")
    func copyOnWrite() throws {
        var m = TestMachines.make(ram: 128 << 20)
        let snapshot = m
        _ = try m.allocPages(order: 2, gfp: .kernel)
        #expect(m != snapshot)
        #expect(snapshot == TestMachines.make(ram: 128 << 20))
    }

    @Test("Orders above 10 fail as a value and change nothing")
    func orderTooLarge() {
        var m = TestMachines.make(ram: 128 << 20)
        let before = m
        #expect(throws: PageAllocationFailure.self) { try m.allocPages(order: 11, gfp: .kernel) }
        #expect(m == before)
    }

    @Test("Bad frees are refused, reported, and leave the machine unchanged")
    func badFrees() throws {
        var m = TestMachines.make(ram: 128 << 20)
        m.setRecording(true)
        let pfn = try m.allocPages(order: 2, gfp: .kernel)
        let before = m
        _ = m.takeEvents()
        let cases: [(PageFrameNumber, Int, BadPageFree.Problem)] = [
            (pfn, 1, .orderMismatch(actual: 2)),           // wrong order
            (pfn.advanced(by: 1), 0, .notAllocatedHead),   // interior page
            (PageFrameNumber(5), 0, .notManaged),          // reserved low memory
            (PageFrameNumber(1 << 40), 0, .notManaged),    // no such frame
            (PageFrameNumber(0xC05), 0, .alreadyFree),        // a free page in DMA (never allocated)
        ]
        for (frame, order, problem) in cases {
            var copy = m
            #expect(throws: BadPageFree(pfn: frame, order: Order(order), problem: problem)) { try copy.freePages(frame, order: Order(order)) }
            #expect(copy == before)
            let events = copy.takeEvents()
            #expect(events.count == 1)
            if case .badPageFree(let bad) = events.first?.kind {
                #expect(bad.report.hasPrefix("BUG: Bad page state"))
            } else {
                Issue.record("no violation event for \(problem)")
            }
        }
        // A real double free: free once (fine), then again (refused).
        try m.freePages(pfn, order: 2)
        let afterFree = m
        #expect(throws: BadPageFree.self) { try m.freePages(pfn, order: 2) }
        #expect(m == afterFree)
        m.checkInvariants()
    }

    @Test("GFP_ATOMIC may dip below the min watermark where GFP_KERNEL may not", arguments: KernelVersion.allCases)
    func atomicDipsBelowMin(kernel: KernelVersion) {
        var m = TestMachines.make(ram: 128 << 20, kernel: kernel)
        // Exhaust what GFP_KERNEL may take (DMA32 first, then DMA). A request that could have used
        // Normal must leave DMA its min watermark plus lowmem_reserve[Normal].
        while (try? m.allocPages(order: 0, gfp: [.kernel, .noWarn])) != nil {}
        let dma = m[zone: .dma]
        let reserve = dma.lowmemReserve[ZoneKind.normal.rawValue]
        #expect(reserve > 0)
        #expect(dma.freePages == dma.watermarks.min + reserve)
        var atomicPages = 0
        while (try? m.allocPages(order: 0, gfp: GFPFlags.atomic(kernel).union(.noWarn))) != nil { atomicPages += 1 }
        #expect(atomicPages > 0)
        // GFP_ATOMIC stops at 3/8 of min (half for __GFP_HIGH, a quarter more for atomic).
        let floor = dma.watermarks.min - dma.watermarks.min / 2
        let atomicFloor = floor - floor / 4
        #expect(m[zone: .dma].freePages == atomicFloor + reserve)
        // A GFP_DMA request has DMA as its highest zone, so no lowmem reserve applies to it.
        while (try? m.allocPages(order: 0, gfp: GFPFlags.atomic(kernel).union([.noWarn, .dma]))) != nil {}
        #expect(m[zone: .dma].freePages == atomicFloor)
        m.checkInvariants()
    }

    @Test("GFP_DMA allocations come from ZONE_DMA, GFP_DMA32 from DMA32 or below")
    func zoneChoice() throws {
        var m = TestMachines.make(ram: 6 << 30)
        let dma = try m.allocPages(order: 0, gfp: [.kernel, .dma])
        #expect(m.zone(containing: dma) == .dma)
        let dma32 = try m.allocPages(order: 0, gfp: [.kernel, .dma32])
        #expect(m.zone(containing: dma32) == .dma32)
        let normal = try m.allocPages(order: 0, gfp: .kernel)
        #expect(m.zone(containing: normal) == .normal)
        m.checkInvariants()
    }
}
