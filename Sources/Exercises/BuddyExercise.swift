import HeapModel
import Operations

/// The buddy exercise: small movable allocations and frees in ZONE_DMA, whose few free blocks after
/// boot make the splits and merges readable; which blocks are free at the end.
enum BuddyExercise {
    /// `GFP_KERNEL|GFP_DMA|__GFP_MOVABLE`: ZONE_DMA's movable free lists, where boot leaves whole
    /// blocks only, so no migratetype fallback blurs the picture.
    static let flags: GFPFlags = [.kernel, .dma, .movable]

    /// Generates the exercise.
    /// - Throws: ``QuizError`` when the machine cannot boot or an operation is refused.
    static func make(_ rng: inout SplitMix64, configuration: MachineConfiguration) throws(QuizError) -> Exercise {
        var run = try ExerciseRun(configuration, topic: .buddy)
        let zone = run.machine[zone: .dma]
        let start = run.machine.freeBlocks(in: zone.startPFN.rawValue..<zone.endPFN.rawValue)
        let region = start.min { ($0.order, $0.pfn) < ($1.order, $1.pfn) } ?? (pfn: zone.startPFN.rawValue, order: 0)
        var live: [(name: String, pfn: Int?, order: Int)] = []
        var placed: [String] = [], merges: [String] = []
        var allocs = 0, frees = 0
        let steps = Int.random(in: 7...9, using: &rng)
        while run.operations.count < steps || frees < 2 {
            let mustFree = run.operations.count >= steps
            if !live.isEmpty && (mustFree || (live.count >= 2 && frees < 3 && Int.random(in: 0..<3, using: &rng) == 0)) {
                let victim = live.remove(at: Int.random(in: 0..<live.count, using: &rng))
                try run.run(.freePages(.id(victim.name)))
                frees += 1
                merges.append(merged(victim, events: run.events.last ?? []))
            } else {
                allocs += 1
                let order = [0, 0, 1, 1, 2, 3][Int.random(in: 0..<6, using: &rng)]
                let name = "p\(allocs)"
                let pfn = try run.run(.allocPages(.id(name), order: Order(order), flags: flags, owner: .outside)).pfn?.rawValue
                live.append((name, pfn, order))
                placed.append(placement(name, order: order, pfn: pfn, events: run.events.last ?? []))
            }
            if mustFree && live.count <= 1 && frees < 2 { break }
        }
        let end = run.machine.freeBlocks(in: region.pfn..<(region.pfn + (1 << region.order)))
        let last = region.pfn + (1 << region.order) - 1
        let questions = [
            Question("At which pfn does each allocation start, and which free block does it come from?",
                     answer: placed.joined(separator: "; ") + "."),
            Question("What does each free_pages do: does the block merge with its buddy, and into what?",
                     answer: merges.joined(separator: "; ") + "."),
            Question("After the last operation, which free blocks (first pfn and order) lie in pfn \(region.pfn)-\(last)?",
                     answer: Phrase.blocks(end) + "."),
            Question("What does the DMA line of /proc/buddyinfo read at the end (free blocks of order 0 to 10)?",
                     answer: run.machine.buddyinfoLine(.dma)),
        ]
        return Exercise(topic: .buddy, title: "Buddy allocator: split and merge",
                        setting: ["ZONE_DMA (pfn \(zone.startPFN.rawValue)-\(zone.endPFN.rawValue - 1)) after boot holds only these free blocks: "
                                    + Phrase.blocks(start) + ".",
                                  "Requests are GFP_DMA|__GFP_MOVABLE: they take the smallest free block that fits, "
                                    + "splitting it in halves; the lower half is used, each upper half goes on a free list."],
                        operations: run.operations, questions: questions)
    }

    /// Where an allocation landed and which block it was cut from, from its split events.
    static func placement(_ name: String, order: Int, pfn: Int?, events: [HeapEvent]) -> String {
        guard let pfn else { return "\(name) (order \(order)) fails" }
        let splits = events.filter { if case .blockSplit = $0.kind { true } else { false } }.count
        if splits == 0 { return "\(name) (order \(order)) at pfn \(pfn), a free order-\(order) block taken whole" }
        return "\(name) (order \(order)) at pfn \(pfn), cut from the order-\(order + splits) block at \(pfn) "
            + "(\(Phrase.count(splits, "split")))"
    }

    /// What freeing a block did, from its merge events.
    static func merged(_ block: (name: String, pfn: Int?, order: Int), events: [HeapEvent]) -> String {
        let merges = events.compactMap { e -> (pfn: Int, order: Int)? in
            if case let .buddiesMerged(pfn, order, _) = e.kind { return (pfn.rawValue, order.rawValue) } else { return nil }
        }
        let at = block.pfn.map { "pfn \($0), " } ?? ""
        guard let top = merges.last else { return "\(block.name) (\(at)order \(block.order)): its buddy is in use, no merge" }
        return "\(block.name) (\(at)order \(block.order)) merges \(Phrase.count(merges.count, "time")), "
            + "into the order-\(top.order) block at \(top.pfn)"
    }
}
