import Allocators
import HeapModel
import Operations

/// `tour`: the default workload. A short run through what memtop shows: slab churn; page cache
/// filling memory and then dropped but for one page in eight, fragmenting the buddy allocator;
/// large kvmalloc requests using up the remaining high-order blocks and then falling back to
/// vmalloc; half of those freed (the ranges wait for the lazy purge); and a double free, reported
/// and survived. Ends with everything else still allocated, for exploring.
struct TourWorkload: WorkloadRun {
    private var churn: SlabChurnWorkload
    private var stage = 0
    /// The page-cache pages, as frame numbers; chunked, so that the viewer's snapshots share all but
    /// the chunk being filled (at 64 GiB there are 16 million).
    private var pinned = ChunkedArray<UInt32>()
    private var cursor = 0
    private var vmallocs: [VirtualAddress] = []
    private var fallbacks = 0
    private var rng: SplitMix
    /// Pages the page-cache stages handle per step, so a 1 GiB machine fills in a few thousand steps.
    static let batch = 64

    init(seed: UInt64) {
        churn = SlabChurnWorkload(seed: seed, steps: 12_000)
        rng = SplitMix(seed: seed ^ 0x7075)
    }

    func count(in census: inout StorageCensus) { pinned.count(in: &census) }

    mutating func step(_ ops: inout OperationRunner, _ machine: inout Machine) -> Bool {
        switch stage {
        case 0:
            if cursor < 12_000 { cursor += 1; _ = churn.step(&ops, &machine); return true }
            stage = 1; cursor = 0
        case 1:
            // Page cache fills memory with movable pages until the allocator refuses.
            for _ in 0..<Self.batch {
                let page = Operation.allocPages(OperationRunner.fresh, order: 0, flags: [.highUserMovable, .noWarn], owner: .outside)
                guard let p = ops.run(page, &machine).pfn else {
                    stage = 2; pinned = ChunkedArray(pinned.sorted()); return true
                }
                pinned.append(UInt32(p.rawValue))
            }
        case 2:
            // Most of it is dropped: one page in every eight stays pinned.
            var n = 0
            while cursor < pinned.count && n < Self.batch {
                let p = PageFrameNumber(Int(pinned[cursor]))
                cursor += 1
                if p.rawValue & 7 != 3 { ops.run(.freePages(Handle(p)), &machine); n += 1 }
            }
            if cursor >= pinned.count { stage = 3; cursor = 0 }
        case 3:
            // Large kvmalloc requests take the last high-order blocks, then fall back to vmalloc.
            let request = Operation.kvmalloc(OperationRunner.fresh, size: Int(rng.next() % 200_000) + 40_000, align: 1, flags: .kernel,
                                             site: "kvmalloc_tour+0x21/0x60")
            if let p = ops.run(request, &machine).address {
                vmallocs.append(p)
                if Vmalloc.isVmallocAddress(p, in: machine) { fallbacks += 1 }
            }
            cursor += 1
            if fallbacks >= 16 || cursor >= 2_000 { stage = 4; cursor = 0 }
        case 4:
            // Free every other one: vmalloc ranges wait for the lazy purge.
            if cursor < vmallocs.count {
                if cursor % 2 == 0 { ops.run(.kvfree(Handle(vmallocs[cursor]), site: nil), &machine) }
                cursor += 1
            } else {
                stage = 5
            }
        case 5:
            // A double free, reported KASAN-style; the run goes on.
            if let p = ops.run(.kmalloc(OperationRunner.fresh, size: 64, flags: .kernel, site: "tour_misuse+0x10/0x30"), &machine).address {
                ops.run(.kfree(Handle(p), site: "tour_misuse+0x18/0x30"), &machine)
                ops.run(.kfree(Handle(p), site: "tour_misuse+0x1c/0x30"), &machine)
            }
            stage = 6
        default:
            return false
        }
        return true
    }
}
