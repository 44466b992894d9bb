import Allocators
import HeapModel
import Operations

/// The size-classes exercise: a handful of kmalloc requests, one of them accounted to a memory
/// cgroup and one beyond the largest cache; which cache serves each and what it wastes.
enum SizeClassExercise {
    /// Request sizes drawn from ranges that cross the classes' edges: the two odd classes (96 and
    /// 192), the powers of two up to 8K, and a large kmalloc.
    static let ranges: [ClosedRange<Int>] = [1...64, 65...192, 193...1024, 1025...8192, 8193...40_000]

    /// Generates the exercise.
    /// - Throws: ``QuizError`` when the machine cannot boot or an operation is refused.
    static func make(_ rng: inout SplitMix64, configuration: MachineConfiguration) throws(QuizError) -> Exercise {
        var run = try ExerciseRun(configuration, topic: .sizeClasses)
        var sizes = ranges.map { Int.random(in: $0, using: &rng) }
        sizes.shuffle(using: &rng)
        let accounted = Int.random(in: 0..<sizes.count, using: &rng)
        var answers: [Question] = []
        var waste: [(name: String, wasted: Int, slot: Int)] = []
        var newSlabs: [String] = []
        for (i, size) in sizes.enumerated() {
            let name = "a\(i + 1)"
            let flags: GFPFlags = i == accounted ? .kernelAccount : .kernel
            try run.run(.kmalloc(.id(name), size: size, flags: flags, site: nil))
            let (text, slot) = serving(size: size, events: run.events[i], machine: run.machine, accounted: i == accounted)
            waste.append((name, slot - size, slot))
            for case let .slabCreated(cache, _, order, objects) in run.events[i].map(\.kind) {
                newSlabs.append("\(run.machine.cache(cache).name) (order \(order), \(objects) objects)")
            }
            answers.append(Question("Operation \(i + 1): which cache serves \(name) (\(size) bytes), and how many bytes of its slot are wasted?",
                                    answer: text))
        }
        let total = waste.reduce(0) { $0 + $1.wasted }
        let worst = waste.max { Double($0.wasted) / Double($0.slot) < Double($1.wasted) / Double($1.slot) }!
        answers.append(Question("How many bytes do the \(sizes.count) allocations waste in all, and which wastes the largest share of its slot?",
                                answer: "\(total) bytes; \(worst.name) wastes \(worst.wasted) of \(worst.slot) "
                                    + "(\(worst.wasted * 100 / worst.slot) %)."))
        answers.append(Question("How many slabs did the buddy allocator hand to the kmalloc caches for these requests?",
                                answer: "\(newSlabs.count): \(newSlabs.joined(separator: ", ")). Every kmalloc cache is empty "
                                    + "after boot, so the first object of each cache needs a new slab; the large kmalloc takes "
                                    + "pages but no slab."))
        return Exercise(topic: .sizeClasses, title: "kmalloc size classes and internal waste",
                        setting: ["A freshly booted machine: every kmalloc cache is empty.",
                                  "GFP_KERNEL_ACCOUNT adds __GFP_ACCOUNT (charged to the memory cgroup)."],
                        operations: run.operations, questions: answers)
    }

    /// The answer for one kmalloc, read from its trace event and the machine: the cache (or the
    /// large kmalloc's block), and the slot size the request got.
    static func serving(size: Int, events: [HeapEvent], machine: Machine, accounted: Bool) -> (String, Int) {
        for case let .objectAllocated(_, req, alloc, _, cache, _) in events.map(\.kind) {
            let wasted = "\(alloc - req) bytes wasted"
            guard let cache else {
                let order = events.lazy.compactMap { e -> Int? in
                    if case let .pagesAllocated(_, order, _, _, _) = e.kind { return order.rawValue } else { return nil }
                }.first ?? 0
                return ("no cache: \(req) > \(KmallocSizes.maxCacheSize) is a large kmalloc, an order-\(order) block "
                        + "(\(Phrase.pages(1 << order)), \(alloc) bytes) straight from the buddy allocator; \(wasted).", alloc)
            }
            let name = machine.cache(cache).name
            let why = accounted ? " (__GFP_ACCOUNT picks the kmalloc-cg- copy of the class)" : ""
            return ("\(name): \(req) rounds up to the \(alloc)-byte class\(why), \(wasted).", alloc)
        }
        return ("the allocation failed (no kmalloc event)", size)
    }
}
