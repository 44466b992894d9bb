import Allocators
import HeapModel
import Operations

/// `slab-churn`: kmalloc of mixed sizes (the size mix of a booting kernel: mostly small), freed in
/// random order while the live set grows and shrinks, so slabs go partial, full and empty, empty
/// ones beyond min_partial go back to the buddy allocator, and the padding of 96/192 and the
/// power-of-two classes shows as internal waste.
struct SlabChurnWorkload: WorkloadRun {
    private var rng: SplitMix
    private var live: [VirtualAddress] = []
    private var step = 0
    private let steps: Int

    /// Request sizes weighted like the 6.1 boot trace: many 8-64 byte objects, a long tail.
    static let sizes = [8, 12, 16, 24, 32, 40, 52, 64, 72, 100, 120, 160, 200, 256, 300, 500, 700, 1000, 1500, 2100, 3000, 5000]
    static let siteNames = ["alloc_inode+0x1f/0x90", "kernfs_new_node+0x2b/0x60", "__d_alloc+0x31/0x1f0",
                            "kmalloc_trace_demo+0x12/0x40", "tty_buffer_alloc+0x4e/0xa0", "load_elf_binary+0x1d4/0x1820"]

    init(seed: UInt64, steps: Int = 40_000) {
        rng = SplitMix(seed: seed)
        self.steps = steps
    }

    mutating func step(_ ops: inout OperationRunner, _ machine: inout Machine) -> Bool {
        guard step < steps else {
            // Drain what is left, one free per step, so the viewer shows slabs emptying.
            guard let p = live.popLast() else { return false }
            ops.run(.kfree(Handle(p), site: Self.siteNames[0]), &machine)
            return true
        }
        step += 1
        // The live set breathes: it grows for 4000 steps, then shrinks for 2000.
        let growing = (step / 2000) % 3 != 2
        let r = rng.next()
        if live.isEmpty || (growing ? r % 100 < 70 : r % 100 < 25) {
            let size = Self.sizes[Int((r >> 8) % UInt64(Self.sizes.count))]
            let flags: GFPFlags = (r >> 20) % 10 == 0 ? .kernelAccount : ((r >> 24) % 10 == 0 ? [.kernel, .zero] : .kernel)
            let site = Self.siteNames[Int((r >> 28) % UInt64(Self.siteNames.count))]
            if let p = ops.run(.kmalloc(OperationRunner.fresh, size: size, flags: flags, site: site), &machine).address {
                live.append(p)
            }
        } else {
            let i = Int((r >> 8) % UInt64(live.count))
            live.swapAt(i, live.count - 1)
            ops.run(.kfree(Handle(live.removeLast()), site: Self.siteNames[Int((r >> 28) % UInt64(Self.siteNames.count))]), &machine)
        }
        return true
    }
}

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
