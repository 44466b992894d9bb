import HeapModel
import MemtopTestSupport
import Testing

/// Every sequence of page allocations and frees up to a few steps long, on a zone cut down to one
/// free block of 16 or 64 pages (house style §4, after swift-collections' `withEvery`): after every
/// step the free lists, the zone's counters and the frames agree, free blocks are aligned and
/// disjoint, merges are complete, allocated plus free is managed, and each allocation is a block
/// aligned to its order that no live allocation overlaps. This is the plain buddy path: no per-CPU
/// lists, no isolation, one pageblock, requests that ignore the watermarks (`__GFP_MEMALLOC`).
@Suite("Exhaustive alloc/free sequences on a tiny zone")
struct ExhaustiveBuddyTests {
    /// A 128 MiB machine whose ZONE_DMA has exactly one free block: `window`, of `order`.
    struct TinyZone {
        var machine: Machine
        /// The frames of the one free block.
        let window: Range<Int>
        /// Frames of the zone allocated outside the window (by the set-up, never freed).
        let allocatedOutside: Int
    }

    /// What every request asks for: ZONE_DMA only, unmovable, no watermark (so the window's last
    /// pages can be taken and a request fails only for want of a block).
    static let flags: GFPFlags = [.kernel, .dma, .memalloc]

    /// Boots a machine and allocates all of ZONE_DMA but one aligned block of 2^`order` pages.
    static func tinyZone(kernel: KernelVersion, order: Int) throws -> TinyZone {
        var m = TestMachines.make(ram: 128 << 20, kernel: kernel)
        m.setRecording(false)
        // Blocks of the window's order first, so that the window is one of them, then the rest.
        var filled: [(pfn: Int, order: Int)] = []
        for o in stride(from: order, through: 0, by: -1) {
            while let pfn = try? m.allocPages(order: Order(o), gfp: flags) { filled.append((pfn.rawValue, o)) }
        }
        let zone = m[zone: .dma]
        #expect(zone.freePages == 0)
        // The highest block of the window's order, so the window is not at the zone's first frame.
        let start = try #require(filled.filter { $0.order == order }.map(\.pfn).max())
        try m.freePages(PageFrameNumber(start), order: Order(order))
        m.retypePageblock(of: PageFrameNumber(start), to: .unmovable)
        let window = start..<(start + (1 << order))
        let counts = m.ownerCounts(in: zone.span)
        let allocated = counts.filter { $0.key.isAllocated }.map(\.value).reduce(0, +)
        #expect(m[zone: .dma].freePages == window.count && allocated + window.count == zone.managedPages)
        try m.validateInvariants()
        return TinyZone(machine: m, window: window, allocatedOutside: allocated)
    }

    /// The first broken invariant of the zone after a step, or nil. `live` is what the sequence
    /// holds: (first frame, order).
    static func problem(_ m: Machine, _ t: TinyZone, live: [(pfn: Int, order: Int)]) -> String? {
        let zone = m[zone: .dma]
        let blocks = m.freeListBlocks(zone: .dma)
        var nrFree = [Int](repeating: 0, count: Page.orderCount), listed = 0
        for b in blocks { nrFree[b.order.rawValue] += 1; listed += b.order.pages }
        guard listed == zone.freePages, nrFree == zone.nrFree else {
            return "lists hold \(listed) pages \(nrFree), the zone counts \(zone.freePages) \(zone.nrFree)"
        }
        var free = [Bool](repeating: false, count: t.window.count)
        var heads: [Int: Int] = [:]
        for b in blocks {
            let p = b.pfn.rawValue, n = b.order.pages
            guard p % n == 0 else { return "free block \(p) is not aligned to order \(b.order)" }
            guard p >= t.window.lowerBound && p + n <= t.window.upperBound else { return "free block \(p) order \(b.order) outside the window" }
            for i in p..<(p + n) {
                guard !free[i - t.window.lowerBound] else { return "frame \(i) is in two free blocks" }
                guard m.owner(of: PageFrameNumber(i)) == .free else { return "frame \(i) of free block \(p) is \(m.owner(of: PageFrameNumber(i)))" }
                free[i - t.window.lowerBound] = true
            }
            heads[p] = b.order.rawValue
        }
        for (p, order) in heads where heads[p ^ (1 << order)] == order {
            return "free buddies \(p) and \(p ^ (1 << order)) of order \(order) were not merged"
        }
        for (p, order) in live {
            guard m.blockOrder(at: PageFrameNumber(p)) == order, m.owner(of: PageFrameNumber(p)).isAllocated else {
                return "live block \(p) order \(order) is \(m.owner(of: PageFrameNumber(p))) of order \(String(describing: m.blockOrder(at: PageFrameNumber(p))))"
            }
            if let i = (p..<(p + (1 << order))).first(where: { free[$0 - t.window.lowerBound] }) { return "frame \(i) is free and in live block \(p)" }
        }
        let counts = m.ownerCounts(in: PageFrameNumber(t.window.lowerBound)..<PageFrameNumber(t.window.upperBound))
        let allocated = t.allocatedOutside + counts.filter { $0.key.isAllocated }.map(\.value).reduce(0, +)
        guard allocated + zone.freePages == zone.managedPages, counts[.free, default: 0] == zone.freePages else {
            return "allocated \(allocated) + free \(zone.freePages) != managed \(zone.managedPages)"
        }
        let held = live.map { 1 << $0.order }.reduce(0, +)
        guard zone.freePages == t.window.count - held else { return "\(zone.freePages) pages free while the sequence holds \(held)" }
        return nil
    }

    /// Walks every sequence of `depth` more steps from `m`, each step an allocation of one of
    /// `orders` or a free of one live block; records the first failure with its path.
    struct Walk {
        let tiny: TinyZone
        let orders: [Int]
        var sequences = 0, failedAllocations = 0, steps = 0
        var failure: String?

        mutating func explore(_ m: Machine, live: [(pfn: Int, order: Int)], depth: Int, path: [String]) {
            guard failure == nil else { return }
            guard depth > 0 else { return finish(m, live: live, path: path) }
            for order in orders {
                var next = m
                guard let pfn = try? next.allocPages(order: Order(order), gfp: ExhaustiveBuddyTests.flags) else {
                    failedAllocations += 1
                    if next != m { failure = "\(path + ["alloc(\(order)) failed"]): the failure changed the machine" }
                    continue  // nothing changed: the sequences that go on from here are shorter ones
                }
                let p = pfn.rawValue, step = path + ["alloc(\(order)) = \(p)"]
                let overlaps = live.contains { p < $0.pfn + (1 << $0.order) && $0.pfn < p + (1 << order) }
                if p % (1 << order) != 0 || !tiny.window.contains(p) || overlaps {
                    failure = "\(step): not an aligned block of the window's free frames"
                    return
                }
                visit(next, live: live + [(p, order)], depth: depth, path: step)
            }
            for (i, block) in live.enumerated() {
                var next = m
                do { try next.freePages(PageFrameNumber(block.pfn), order: Order(block.order)) } catch {
                    failure = "\(path + ["free(\(block.pfn))"]): \(error)"
                    return
                }
                var rest = live
                rest.remove(at: i)
                visit(next, live: rest, depth: depth, path: path + ["free(\(block.pfn))"])
            }
        }

        mutating func visit(_ m: Machine, live: [(pfn: Int, order: Int)], depth: Int, path: [String]) {
            steps += 1
            if let problem = ExhaustiveBuddyTests.problem(m, tiny, live: live) { failure = "\(path): \(problem)"; return }
            if steps % 4096 == 0 {
                do { try m.validateInvariants() } catch { failure = "\(path): \(error)"; return }
            }
            explore(m, live: live, depth: depth - 1, path: path)
        }

        /// At the end of a sequence, freeing what it holds gives back the one block it started from.
        mutating func finish(_ m: Machine, live: [(pfn: Int, order: Int)], path: [String]) {
            sequences += 1
            var m = m
            for block in live { try? m.freePages(PageFrameNumber(block.pfn), order: Order(block.order)) }
            let blocks = m.freeListBlocks(zone: .dma)
            if blocks.count != 1 || blocks.first?.pfn.rawValue != tiny.window.lowerBound
                || blocks.first?.order.pages != tiny.window.count {
                failure = "\(path), then every block freed: free blocks \(blocks.map { ($0.pfn.rawValue, $0.order.rawValue) })"
            }
        }
    }

    @Test("Every sequence of allocations and frees keeps the buddy invariants",
          arguments: [(KernelVersion.v6_18, 4, [0, 1, 2, 4], 6), (.v6_1, 4, [0, 1, 2, 4], 6), (.v6_18, 6, [0, 1, 3, 6], 6)])
    func everySequence(kernel: KernelVersion, windowOrder: Int, orders: [Int], depth: Int) throws {
        let tiny = try Self.tinyZone(kernel: kernel, order: windowOrder)
        var walk = Walk(tiny: tiny, orders: orders)
        walk.explore(tiny.machine, live: [], depth: depth, path: [])
        #expect(walk.failure == nil, "kernel \(kernel), \(tiny.window.count) pages at \(tiny.window.lowerBound): \(walk.failure ?? "")")
        // The walk reached the full zone (requests that found no block) and many whole sequences.
        #expect(walk.failedAllocations > 0 && walk.sequences > 1000, "\(walk.sequences) sequences, \(walk.failedAllocations) failed requests")
    }

    @Test("The step check fails when the machine and the sequence's holdings disagree")
    func checkCanFail() throws {
        let tiny = try Self.tinyZone(kernel: .v6_18, order: 4)
        var m = tiny.machine
        let p = try m.allocPages(order: 1, gfp: Self.flags).rawValue
        #expect(Self.problem(m, tiny, live: [(p, 1)]) == nil)
        #expect(Self.problem(m, tiny, live: []) != nil)
        #expect(Self.problem(m, tiny, live: [(p, 2)]) != nil)
        #expect(Self.problem(tiny.machine, tiny, live: [(p, 1)]) != nil)
    }
}
