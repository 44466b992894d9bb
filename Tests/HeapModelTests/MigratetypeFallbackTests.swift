import HeapModel
import MemtopTestSupport
import Testing

/// Migratetype fallback, kernel by kernel: 6.1's `__rmqueue_fallback()` against 6.18's
/// `__rmqueue_claim()` / `__rmqueue_steal()` (`mm/page_alloc.c` of each), and `ALLOC_NOFRAGMENT`.
///
/// Each scenario starts from a machine whose every free page was taken, so the only free blocks are
/// the ones the test frees, in one pageblock it chose.
@Suite("Migratetype fallback")
struct MigratetypeFallbackTests {
    /// A pageblock in DMA32 of a 128 MiB machine, clear of the kernel image and the memmap.
    static let block = PageFrameNumber(20480)

    /// A 128 MiB machine with every free page allocated as order-0 movable pages (nothing is free),
    /// and the pageblock at ``block`` wholly held by those pages.
    static func fullMachine(_ kernel: KernelVersion) throws -> Machine {
        var m = TestMachines.make(ram: 128 << 20, kernel: kernel)
        var pages = Set<Int>()
        while let p = try? m.allocPages(order: 0, gfp: [.highUserMovable, .memalloc, .noWarn]) { pages.insert(p.rawValue) }
        let first = block.rawValue
        try #require((first..<(first + Page.pageblockPages)).allSatisfy(pages.contains))
        try #require(m.pageblockMigrateType(of: block) == .movable)
        return m
    }

    /// Frees the order-0 pages `offsets` of ``block``.
    static func free(_ offsets: [Int], in m: inout Machine) throws {
        for o in offsets { try m.freePages(block.advanced(by: o), order: 0) }
    }

    /// The `mm_page_alloc_extfrag` events among `events`.
    static func fallbacks(_ events: [HeapEvent]) -> [HeapEvent.Kind] {
        events.map(\.kind).filter { if case .fallbackTaken = $0 { true } else { false } }
    }

    @Test("A movable request with only small unmovable blocks takes the smallest; 6.1 moves it to Movable, 6.18 splits it in place",
          arguments: [KernelVersion.v6_1, .v6_18])
    func movableStealsSmallest(kernel: KernelVersion) throws {
        var m = try Self.fullMachine(kernel)
        try Self.free([0, 1, 4, 5, 6, 7], in: &m)   // an order-1 block at +0 and an order-2 block at +4
        m.retypePageblock(of: Self.block, to: .unmovable)
        #expect(m.freeBlockCount(zone: .dma32, order: 1, migrateType: .unmovable) == 1)
        #expect(m.freeBlockCount(zone: .dma32, order: 2, migrateType: .unmovable) == 1)
        m.setRecording(true)

        // Order 1 and 2 are below pageblock_order / 2, so a movable request may not claim the
        // pageblock: 6.1 goes to find_smallest, 6.18 breaks out of the claim loop and steals.
        let pfn = try m.allocPages(order: 0, gfp: [.highUserMovable, .memalloc, .noWarn])
        #expect(pfn == Self.block)
        #expect(Self.fallbacks(m.takeEvents()) == [.fallbackTaken(
            pfn: Self.block, allocOrder: 0, fallbackOrder: 1, allocType: .movable, fallbackType: .unmovable,
            changedOwnership: false)])
        #expect(m.pageblockMigrateType(of: Self.block) == .unmovable)
        // The order-1 block's other half: 6.1 moved the whole block to the Movable list before
        // splitting it (move_to_free_list), 6.18 splits it on the Unmovable list (page_del_and_expand).
        let halfType: MigrateType = kernel == .v6_1 ? .movable : .unmovable
        #expect(m.freeBlockCount(zone: .dma32, order: 0, migrateType: halfType) == 1)
        #expect(m.freeBlockCount(zone: .dma32, order: 2, migrateType: .unmovable) == 1, "the larger block is left alone")
        m.checkInvariants()
    }

    @Test("An unmovable request takes over a movable pageblock that is half free, on both kernels",
          arguments: [KernelVersion.v6_1, .v6_18])
    func unmovableClaimsHalfFreeBlock(kernel: KernelVersion) throws {
        var m = try Self.fullMachine(kernel)
        try Self.free(Array(0..<256), in: &m)   // one order-8 block: 256 of 512 pages free
        #expect(m.freeBlockCount(zone: .dma32, order: 8, migrateType: .movable) == 1)
        m.setRecording(true)

        let pfn = try m.allocPages(order: 0, gfp: [.kernel, .memalloc, .noWarn])
        #expect(pfn == Self.block)
        #expect(Self.fallbacks(m.takeEvents()) == [.fallbackTaken(
            pfn: Self.block, allocOrder: 0, fallbackOrder: 8, allocType: .unmovable, fallbackType: .movable,
            changedOwnership: true)])
        // free + alike >= pageblock_nr_pages / 2 (alike is 0: every allocated page is movable).
        #expect(m.pageblockMigrateType(of: Self.block) == .unmovable)
        #expect(m.freeBlockCount(zone: .dma32, order: 7, migrateType: .unmovable) == 1)
        #expect(m.freeBlockCount(zone: .dma32, order: 7, migrateType: .movable) == 0)
        m.checkInvariants()
    }

    @Test("One page short of half: 6.1 still moves the free blocks to Unmovable, 6.18 leaves them and steals the smallest",
          arguments: [KernelVersion.v6_1, .v6_18])
    func unmovableBelowHalf(kernel: KernelVersion) throws {
        var m = try Self.fullMachine(kernel)
        try Self.free(Array(0..<255), in: &m)   // blocks of order 7, 6, ..., 0: 255 pages free
        m.setRecording(true)

        let pfn = try m.allocPages(order: 0, gfp: [.kernel, .memalloc, .noWarn])
        // Both take the order-0 block at +254, and the pageblock stays Movable.
        #expect(pfn == Self.block.advanced(by: 254))
        #expect(m.pageblockMigrateType(of: Self.block) == .movable)
        let events = Self.fallbacks(m.takeEvents())
        if kernel == .v6_1 {
            // __rmqueue_fallback() steals from the largest block (order 7), moving every free block
            // of the pageblock (move_freepages_block), then __rmqueue_smallest() takes the order-0 one.
            #expect(events == [.fallbackTaken(pfn: Self.block, allocOrder: 0, fallbackOrder: 7, allocType: .unmovable,
                                              fallbackType: .movable, changedOwnership: false)])
            #expect(m.freeBlockCount(zone: .dma32, order: 7, migrateType: .unmovable) == 1)
            #expect(m.freeBlockCount(zone: .dma32, order: 7, migrateType: .movable) == 0)
        } else {
            // try_to_claim_block() fails at every order and moves nothing; __rmqueue_steal() takes
            // the smallest block.
            #expect(events == [.fallbackTaken(pfn: Self.block.advanced(by: 254), allocOrder: 0, fallbackOrder: 0,
                                              allocType: .unmovable, fallbackType: .movable, changedOwnership: false)])
            #expect(m.freeBlockCount(zone: .dma32, order: 7, migrateType: .movable) == 1)
            #expect(m.freeBlockCount(zone: .dma32, order: 7, migrateType: .unmovable) == 0)
        }
        m.checkInvariants()
    }

    @Test("A block of pageblock order or more changes the type of every pageblock it covers", arguments: [KernelVersion.v6_1, .v6_18])
    func wholePageblockClaim(kernel: KernelVersion) throws {
        var m = try Self.fullMachine(kernel)
        try Self.free(Array(0..<Page.pageblockPages), in: &m)   // the whole pageblock: one order-9 block
        m.setRecording(true)
        let pfn = try m.allocPages(order: 0, gfp: [.kernel, .memalloc, .noWarn])
        #expect(pfn == Self.block)
        #expect(Self.fallbacks(m.takeEvents()) == [.fallbackTaken(
            pfn: Self.block, allocOrder: 0, fallbackOrder: 9, allocType: .unmovable, fallbackType: .movable,
            changedOwnership: true)])
        #expect(m.pageblockMigrateType(of: Self.block) == .unmovable)
        for order in 0..<Page.pageblockOrder {
            #expect(m.freeBlockCount(zone: .dma32, order: Order(order), migrateType: .unmovable) == 1, "order \(order)")
        }
        m.checkInvariants()
    }
}

/// `ALLOC_NOFRAGMENT`: when Normal is the preferred zone and DMA32 exists, the first pass of the
/// fast path takes nothing smaller than a pageblock from another migratetype; it moves on to the
/// next zone instead, and only a second pass without the flag may fragment (`alloc_flags_nofragment()`,
/// `__rmqueue_fallback()`'s `min_order`, `get_page_from_freelist()`'s retry).
@Suite("ALLOC_NOFRAGMENT")
struct NoFragmentTests {
    /// A 3.5 GiB machine (DMA, DMA32 and, above the PCI hole, Normal) with every page allocated as movable blocks of the
    /// largest order that fits, then some order-10 blocks of Normal broken into order-3 blocks of
    /// which every other one is free: Normal has free pages above its low watermark, all of them
    /// movable and smaller than a pageblock. Returns the machine and the blocks still held outside Normal.
    static func fragmentedNormal(_ kernel: KernelVersion) throws -> (Machine, [(PageFrameNumber, Int)]) {
        var m = TestMachines.make(ram: 7 << 29, kernel: kernel)
        let movable: GFPFlags = [.highUserMovable, .memalloc, .noWarn]
        var held: [(PageFrameNumber, Int)] = []
        for order in (0...Page.maxOrder).reversed() {
            while let p = try? m.allocPages(order: Order(order), gfp: movable) { held.append((p, order)) }
        }
        var normalBlocks = held.filter { m.zone(containing: $0.0) == .normal && $0.1 == Page.maxOrder }.map(\.0)
        held.removeAll { m.zone(containing: $0.0) == .normal }
        // Each broken block leaves half its pages free: enough blocks to clear the low watermark.
        let low = m[zone: .normal].watermarks.low
        var pieces: [PageFrameNumber] = []
        for _ in 0...((low + 1024) / 512) {
            try #require(!normalBlocks.isEmpty)
            let block = normalBlocks.removeLast()
            try m.freePages(block, order: .max)
            // Everything else is taken, so the order-3 blocks come back from this block.
            for _ in 0..<(1 << (Page.maxOrder - 3)) {
                let p = try m.allocPages(order: 3, gfp: movable)
                try #require(p.rawValue >> Page.maxOrder == block.rawValue >> Page.maxOrder)
                pieces.append(p)
            }
        }
        for p in pieces where (p.rawValue >> 3) & 1 == 0 { try m.freePages(p, order: 3) }
        try #require(m[zone: .normal].freePages > low)
        return (m, held)
    }

    @Test("GFP_KERNEL skips Normal's small movable blocks and takes DMA32's unmovable pages", arguments: [KernelVersion.v6_1, .v6_18])
    func prefersAnotherZone(kernel: KernelVersion) throws {
        var (m, held) = try Self.fragmentedNormal(kernel)
        for (p, order) in held where m.zone(containing: p) == .dma32 { try m.freePages(p, order: Order(order)) }
        let dma32 = m[zone: .dma32]
        for start in stride(from: dma32.startPFN, to: dma32.endPFN, by: Page.pageblockPages) {
            m.retypePageblock(of: start, to: .unmovable)
        }
        let normalBefore = m[zone: .normal].freePages
        m.setRecording(true)
        let pfn = try m.allocPages(order: 0, gfp: .kernel)
        #expect(m.zone(containing: pfn) == .dma32)
        #expect(m[zone: .normal].freePages == normalBefore)
        #expect(m.takeEvents().allSatisfy { if case .fallbackTaken = $0.kind { false } else { true } })
        m.checkInvariants()
    }

    @Test("With no other zone to go to, the second pass fragments Normal", arguments: [KernelVersion.v6_1, .v6_18])
    func secondPassFragments(kernel: KernelVersion) throws {
        var (m, _) = try Self.fragmentedNormal(kernel)
        m.setRecording(true)
        let pfn = try m.allocPages(order: 0, gfp: .kernel)
        #expect(m.zone(containing: pfn) == .normal)
        let fallbacks = m.takeEvents().compactMap { e -> (Int, MigrateType, MigrateType)? in
            if case let .fallbackTaken(_, _, fallbackOrder, allocType, fallbackType, _) = e.kind {
                return (fallbackOrder.rawValue, allocType, fallbackType)
            }
            return nil
        }
        #expect(fallbacks.count == 1)
        #expect(fallbacks.first.map { $0 == (3, .unmovable, .movable) } == true)
        m.checkInvariants()
    }
}
