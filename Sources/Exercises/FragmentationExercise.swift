import HeapModel
import Operations

/// The fragmentation exercise: ZONE_DMA reduced to one block, cut up by movable allocations and
/// frees; the fragmentation indices, then an unmovable page that must fall back to a movable
/// block, and the indices after it. Kernels choose that block differently (6.1 takes the largest,
/// 6.12 and 6.18 steal the smallest when they cannot claim the pageblock).
enum FragmentationExercise {
    /// An unmovable `GFP_KERNEL|GFP_DMA` request.
    static let unmovable: GFPFlags = [.kernel, .dma]

    /// Generates the exercise.
    /// - Throws: ``QuizError`` when the machine cannot boot or an operation is refused.
    static func make(_ rng: inout SplitMix64, configuration: MachineConfiguration) throws(QuizError) -> Exercise {
        var run = try ExerciseRun(configuration, topic: .fragmentation)
        let zone = run.machine[zone: .dma]
        let start = run.machine.freeBlocks(in: zone.startPFN.rawValue..<zone.endPFN.rawValue)
        let region = start.min { ($0.order, $0.pfn) < ($1.order, $1.pfn) } ?? (pfn: zone.startPFN.rawValue, order: 0)
        let movable = start.allSatisfy { run.machine.pageblockMigrateType(of: PageFrameNumber($0.pfn)) == .movable }
        var names = 0
        for block in start.sorted(by: { $0.order > $1.order }) where block.pfn != region.pfn {
            names += 1
            try run.run(.allocPages(.id("big\(names)"), order: Order(block.order), flags: BuddyExercise.flags, owner: .outside))
        }
        let setup = run.operations.count
        var live: [String] = []
        for i in 1...Int.random(in: 5...7, using: &rng) {
            try run.run(.allocPages(.id("m\(i)"), order: Order(Int.random(in: 0...2, using: &rng)), flags: BuddyExercise.flags, owner: .outside))
            live.append("m\(i)")
        }
        for _ in 0..<Int.random(in: 2...3, using: &rng) {
            try run.run(.freePages(.id(live.remove(at: Int.random(in: 0..<live.count, using: &rng)))))
        }
        let before = run.machine[zone: .dma].nrFree, beforeLine = run.machine.buddyinfoLine(.dma)
        let high = min((Fragmentation.largestFreeOrder(nrFree: before) ?? -1) + 1, Page.maxOrder)
        let top = max(high - 1, 0)
        let low = min((before.firstIndex { $0 > 0 } ?? 0) + 1, high)
        let step = run.operations.count + 1
        let pfn = try run.run(.allocPages(.id("u"), order: 0, flags: unmovable, owner: .pages)).pfn
        let after = run.machine[zone: .dma].nrFree
        let questions = [
            Question("After operation \(step - 1): what does the DMA line of /proc/buddyinfo read, and what are "
                        + "extfrag_index at order \(high), and unusable_index at order \(low)?",
                     answer: "\(beforeLine); " + indices(before, order: high, unusableAt: low)),
            Question("Operation \(step) asks for one unmovable page; ZONE_DMA has only movable free blocks. "
                        + "Which free block does it take, and at which pfn does the page land?",
                     answer: fallback(run.events.last ?? [], pfn: pfn, before: before, kernel: run.kernel)),
            Question("After operation \(step): extfrag_index at order \(top)?",
                     answer: indices(after, order: top)),
        ]
        return Exercise(topic: .fragmentation, title: "Fragmentation indices and an unmovable fallback",
                        setting: ["ZONE_DMA after boot holds these free blocks: \(Phrase.blocks(start))"
                                    + (movable ? ", all in movable pageblocks." : "."),
                                  "Operations 1-\(setup) take all but the block at pfn \(region.pfn) (order \(region.order)); "
                                    + "the rest cut that block up (GFP_DMA|__GFP_MOVABLE).",
                                  "extfrag_index(o) = 1 - (1 + free_pages / 2^o) / free_blocks when no block of order o "
                                    + "or more is free, else -1; unusable_index(o) = share of free pages in blocks below order o."],
                        operations: run.operations, groups: [], questions: questions)
    }

    /// extfrag_index at `order` (and unusable_index at `unusableAt`), with the numbers they come from.
    static func indices(_ nrFree: [Int], order: Int, unusableAt: Int? = nil) -> String {
        let info = Fragmentation.contigInfo(nrFree: nrFree, order: Order(order))
        let extfrag = Fragmentation.formatExtfrag(Fragmentation.extfragIndex(nrFree: nrFree, order: Order(order)))
        var text = "extfrag_index \(extfrag)"
        if info.freeBlocksSuitable > 0 {
            text += " (a free block of order \(order) or more exists)"
        } else {
            text += " (\(info.freePages) free pages in \(info.freeBlocksTotal) blocks, none of order \(order) or more)"
        }
        if let u = unusableAt {
            let below = Fragmentation.contigInfo(nrFree: nrFree, order: Order(u))
            text += "; unusable_index(\(u)) \(Fragmentation.formatUnusable(Fragmentation.unusableIndex(nrFree: nrFree, order: Order(u))))"
                + " (\(below.freePages - (below.freeBlocksSuitable << u)) of \(below.freePages) free pages are in blocks below order \(u))"
        }
        return text + "."
    }

    /// Which block the unmovable request fell back to, from its `mm_page_alloc_extfrag` event.
    /// Whether it was the largest or the smallest free block is read from `before`, the zone's free
    /// blocks per order just before the request.
    static func fallback(_ events: [HeapEvent], pfn: PageFrameNumber?, before: [Int], kernel: KernelVersion) -> String {
        guard let pfn else { return "none: the request fails." }
        for case let .fallbackTaken(block, _, fallbackOrder, _, fallbackType, changed) in events.map(\.kind) {
            let largest = Fragmentation.largestFreeOrder(nrFree: before), smallest = before.firstIndex { $0 > 0 }
            let how = fallbackOrder.rawValue == largest ? "takes the largest free block"
                : fallbackOrder.rawValue == smallest ? "steals the smallest free block" : "takes a free block"
            return "kernel \(kernel) \(how): the order-\(fallbackOrder) \(fallbackType) block at pfn \(block.rawValue)"
                + "\(changed ? " (its pageblock becomes unmovable)" : ""); the page lands at pfn \(pfn.rawValue)."
        }
        return "a free unmovable block: the page lands at pfn \(pfn.rawValue)."
    }
}
