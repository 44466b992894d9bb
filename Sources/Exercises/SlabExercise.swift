import Allocators
import HeapModel
import Operations

/// The slab exercise: a named cache filled over several slabs, then emptied slab by slab; what
/// slabinfo shows, and which free gives the first slab back to the buddy allocator.
enum SlabExercise {
    /// The cache the exercise creates.
    static let cacheName = "quiz_cache"

    /// Generates the exercise.
    /// - Throws: ``QuizError`` when the machine cannot boot or an operation is refused.
    static func make(_ rng: inout SplitMix64, configuration: MachineConfiguration) throws(QuizError) -> Exercise {
        var run = try ExerciseRun(configuration, topic: .slabs)
        let size = 8 * Int.random(in: 12...40, using: &rng)
        let hwcache = Bool.random(using: &rng)
        let spec = CacheSpecification(name: cacheName, objectSize: size, flags: hwcache ? .hardwareCacheAlign : [])
        try run.run(.kmemCacheCreate(spec))
        guard let created = run.machine.cache(named: cacheName) else { throw .operationRefused(topic: .slabs, step: 1, .noCache(cacheName)) }
        let g = created.geometry
        let emptied = g.minPartial + Int.random(in: 1...2, using: &rng)
        let count = g.objectsPerSlab * (emptied + 1) + Int.random(in: 1..<max(g.objectsPerSlab, 2), using: &rng)
        for i in 1...count { try run.run(.kmemCacheAlloc(cache: cacheName, .id("o\(i)"), flags: .kernel, site: nil)) }
        let full = run.machine.cache(created.id)
        let frees = g.objectsPerSlab * emptied + g.objectsPerSlab / 2
        for i in 1...frees { try run.run(.kmemCacheFree(cache: cacheName, .id("o\(i)"), site: nil)) }
        let end = run.machine.cache(created.id)
        let questions = [
            Question("Operation 1: what slot size (objsize), objects per slab and pages per slab does slabinfo show for \(cacheName)?",
                     answer: geometryAnswer(size: size, hwcache: hwcache, geometry: g)),
            Question("After operation \(count + 1) (the last allocation): active_objs, num_objs and slabs of \(cacheName)?",
                     answer: occupancy(full) + ": the allocations fill slab after slab; every slot of a full slab and of the "
                        + "CPU's active slab counts as active."),
            Question("Which operation is the first to give a slab back to the buddy allocator, and why then?",
                     answer: firstDiscard(run, geometry: g)),
            Question("After the last operation: active_objs, num_objs and slabs of \(cacheName)?",
                     answer: occupancy(end) + ": free slots of slabs on the node partial list are not active; "
                        + "\(Phrase.count(end.partialCount, "slab")) on the partial list, "
                        + "\(Phrase.count(end.emptySlabs, "empty slab")) kept."),
            Question("Operation 2 needs the cache's first slab: which order and GFP flags does its mm_page_alloc event print?",
                     answer: firstSlabPages(run)),
        ]
        return Exercise(topic: .slabs, title: "Slab occupancy: active objects, slabs, and empty slabs given back",
                        setting: ["A new cache of \(size)-byte objects\(hwcache ? " aligned to the cache line (SLAB_HWCACHE_ALIGN)" : "").",
                                  "Objects are handed out in address order from one CPU; min_partial is \(g.minPartial): an empty "
                                    + "slab goes back to the buddy allocator when the node's partial list holds that many slabs, "
                                    + "counting the empty one; fewer, and it is kept."],
                        operations: run.operations, groups: [1..<(1 + count), (1 + count)..<(1 + count + frees)],
                        questions: questions)
    }

    /// slabinfo's view of a cache's occupancy.
    static func occupancy(_ c: SlabCache) -> String {
        "active_objs \(c.activeObjects), num_objs \(c.totalObjects), \(Phrase.count(c.slabCount, "slab"))"
    }

    /// The geometry, explained from the engine's numbers.
    static func geometryAnswer(size: Int, hwcache: Bool, geometry g: SlabGeometry) -> String {
        let slab = Page.size << g.order
        let rounding = g.size == size ? "the slot is the object" : "\(size) rounds up to a \(g.size)-byte slot"
            + (hwcache ? " (cache-line alignment)" : "")
        return "objsize \(g.size), objperslab \(g.objectsPerSlab), pagesperslab \(1 << g.order): \(rounding); "
            + "an order-\(g.order) slab of \(slab) bytes holds \(slab) / \(g.size) = \(g.objectsPerSlab), "
            + "leaving \(slab - g.objectsPerSlab * g.size) bytes unused."
    }

    /// The first free that discarded a slab, from the slabDestroyed events.
    static func firstDiscard(_ run: ExerciseRun, geometry g: SlabGeometry) -> String {
        for (i, events) in run.events.enumerated() {
            for case let .slabDestroyed(_, pfn, order) in events.map(\.kind) {
                let name = run.operations[i].handle?.description ?? ""
                return "operation \(i + 1) (kmem_cache_free \(name)): its slab becomes empty while the partial list holds "
                    + "\(g.minPartial) slabs with it, so the order-\(order) slab at pfn \(pfn.rawValue) goes back."
            }
        }
        return "none: the partial list never reaches min_partial (\(g.minPartial)) with an empty slab on it."
    }

    /// The first slab's page allocation, as its trace event prints the flags.
    static func firstSlabPages(_ run: ExerciseRun) -> String {
        for events in run.events.dropFirst() {
            for case let .pagesAllocated(_, order, _, gfp, _) in events.map(\.kind) {
                let comp = gfp.contains(.comp) ? "with __GFP_COMP (a compound page)" : "without __GFP_COMP"
                return "order=\(order) gfp_flags=\(gfp.traceString(run.kernel)): kernel \(run.kernel) allocates this "
                    + "slab \(comp)."
            }
        }
        return "no page allocation was needed"
    }
}
