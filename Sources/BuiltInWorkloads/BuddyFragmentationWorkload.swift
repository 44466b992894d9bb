import HeapModel
import Operations

/// `buddy-fragmentation`: fills memory with order-0 pages, then frees all but one page in every
/// eight-page group, so that most memory is free again but only in blocks of order 2 or less. Then it
/// takes order-3 blocks while any are left (the watermark reserve was never split), and finally asks
/// for orders 3 to 5, which fail with plenty of memory free. The unusable index at order 3 ends at
/// 1.000; the extfrag index there near 0.7 (seven free pages in three blocks per group caps it at
/// 1 - 7/24), rising towards 1 at higher orders.
struct BuddyFragmentationWorkload: WorkloadRun {
    private var rng: SplitMix
    private var phase = Phase.fill
    private var pages: [PageFrameNumber] = []
    private var cursor = 0
    private var probeOrder = 3

    private enum Phase { case fill, free, drain, probe, done }

    init(seed: UInt64) { rng = SplitMix(seed: seed) }

    mutating func step(_ ops: inout OperationRunner, _ machine: inout Machine) -> Bool {
        switch phase {
        case .fill:
            // Movable pages (like page cache) until the allocator refuses, without dipping into reserves.
            if let pfn = ops.run(.allocPages(OperationRunner.fresh, order: 0, flags: [.highUserMovable, .noWarn], owner: .pages),
                                 &machine).pfn {
                pages.append(pfn)
            } else {
                // Free pages are in the pin pattern order: keep one page of every 8-page aligned group.
                pages.sort()
                phase = .free
            }
            return true
        case .free:
            while cursor < pages.count {
                let pfn = pages[cursor]
                cursor += 1
                // Keep the page at a random slot of its 8-page group pinned.
                let group = pfn.rawValue >> 3
                var groupRandom = SplitMix(seed: UInt64(group) ^ rng.seed)
                let pinnedSlot = Int(groupRandom.next() & 7)
                if pfn.rawValue & 7 != pinnedSlot {
                    ops.run(.freePages(Handle(pfn)), &machine)
                    return true
                }
            }
            phase = .drain
            return true
        case .drain:
            if ops.run(.allocPages(OperationRunner.fresh, order: 3, flags: [.kernel, .noWarn], owner: .pages), &machine).pfn == nil {
                phase = .probe
            }
            return true
        case .probe:
            // These fail and warn, as the kernel's "page allocation failure" would.
            ops.run(.allocPages(OperationRunner.fresh, order: Order(probeOrder), flags: .kernel, owner: .pages), &machine)
            probeOrder += 1
            if probeOrder > 5 { phase = .done }
            return true
        case .done:
            return false
        }
    }
}

/// The workloads' deterministic random generator.
typealias SplitMix = SplitMix64
