import Allocators
import HeapModel
import Operations

/// `kvmalloc-fallback`: fragments memory with pinned pages, then asks kvmalloc for 64 KiB to
/// 1 MiB buffers: kmalloc's attempt (with `__GFP_NORETRY` or without direct reclaim) finds no
/// block of that order and the request falls back to vmalloc.
struct KVmallocFallbackWorkload: WorkloadRun {
    private var pinned: [PageFrameNumber] = []
    private var stage = 0, cursor = 0
    private var rng: SplitMix
    init(seed: UInt64) { rng = SplitMix(seed: seed) }

    mutating func step(_ ops: inout OperationRunner, _ machine: inout Machine) -> Bool {
        switch stage {
        case 0:
            for _ in 0..<64 {
                let page = Operation.allocPages(OperationRunner.fresh, order: 0, flags: [.highUserMovable, .noWarn], owner: .outside)
                guard let p = ops.run(page, &machine).pfn else {
                    stage = 1; pinned.sort(); return true
                }
                pinned.append(p)
            }
        case 1:
            var n = 0
            while cursor < pinned.count && n < 64 {
                if pinned[cursor].rawValue & 3 != 0 { ops.run(.freePages(Handle(pinned[cursor])), &machine); n += 1 }
                cursor += 1
            }
            if cursor >= pinned.count { stage = 2; cursor = 0 }
        case 2:
            let size = (64 << 10) << Int(rng.next() % 5)
            ops.run(.kvmalloc(OperationRunner.fresh, size: size, align: 1, flags: .kernel, site: "kvmalloc_fallback_demo+0x12/0x40"), &machine)
            cursor += 1
            if cursor >= 64 { stage = 3 }
        default:
            return false
        }
        return true
    }
}

/// `kvec-growth`: a KVec<u64> and a KVVec<u64> pushed one element at a time: capacities double,
/// each growth a realloc, through kmalloc's size classes, large kmalloc, and (for the KVVec,
/// beyond KMALLOC_MAX_SIZE) vmalloc.
struct KVecGrowthWorkload: WorkloadRun {
    private var pushed = 0

    mutating func step(_ ops: inout OperationRunner, _ machine: inout Machine) -> Bool {
        if pushed < 2_000 {
            ops.run(.vector(.push(count: 1), vec: "small", allocator: .kmalloc, flags: .kernel), &machine)
            ops.run(.vector(.push(count: 1), vec: "large", allocator: .kvmalloc, flags: .kernel), &machine)
        } else if pushed < 2_010 {
            // Reserve in big steps to cross KMALLOC_MAX_SIZE: the KVVec moves to vmalloc.
            let capacity = ops.capacity(ofVector: "large", allocator: .kvmalloc)
            ops.run(.vector(.reserve(additional: capacity + 1), vec: "large", allocator: .kvmalloc, flags: .kernel), &machine)
        } else {
            return false
        }
        pushed += 1
        return true
    }
}

/// `atomic-burst`: GFP_KERNEL allocations fill memory down to the min watermark, then a burst of
/// GFP_ATOMIC allocations (network receive, say) dips into the reserve below it, to 3/8 of min.
struct AtomicBurstWorkload: WorkloadRun {
    private var stage = 0
    mutating func step(_ ops: inout OperationRunner, _ machine: inout Machine) -> Bool {
        switch stage {
        case 0:
            let page = Operation.allocPages(OperationRunner.fresh, order: 0, flags: [.kernel, .noWarn], owner: .pages)
            for _ in 0..<64 where ops.run(page, &machine).pfn == nil {
                stage = 1
                return true
            }
        case 1:
            let atomic = GFPFlags.atomic(machine.configuration.kernel)
            if ops.run(.kmalloc(OperationRunner.fresh, size: 2048, flags: atomic, site: "netdev_alloc_skb+0x4c/0x120"), &machine).address == nil {
                stage = 2
            }
        default:
            return false
        }
        return true
    }
}

/// `vmalloc-lazy-purge`: vmalloc and vfree 1 MiB areas: the pages go back at once, the address
/// ranges pile up as `unpurged vm_area` until `lazy_max_pages` is crossed and one purge frees them.
struct VmallocLazyPurgeWorkload: WorkloadRun {
    private var count = 0
    mutating func step(_ ops: inout OperationRunner, _ machine: inout Machine) -> Bool {
        guard count < 200 else { return false }
        let site = "vmalloc_lazy_demo+0x20/0x50"
        if let p = ops.run(.vmalloc(OperationRunner.fresh, size: 1 << 20, align: 1, flags: .kernel, site: site), &machine).address,
           count % 8 != 7 {
            ops.run(.vfree(Handle(p), site: site), &machine)
        }
        count += 1
        return true
    }
}

/// `misuse`: every contract violation once, each reported and survived: double free, interior
/// free, kfree of a vmalloc address, vfree of a kmalloc address, a Rust realloc that grows the
/// alignment, a free with the wrong layout, and a pointer passed to the wrong allocator type.
struct MisuseWorkload: WorkloadRun {
    private var stage = 0
    static let site = "misuse_demo+0x10/0x80"

    mutating func step(_ ops: inout OperationRunner, _ machine: inout Machine) -> Bool {
        let site = Self.site
        func kmalloc(_ size: Int) -> Operation { .kmalloc(OperationRunner.fresh, size: size, flags: .kernel, site: site) }
        switch stage {
        case 0:
            if let p = ops.run(kmalloc(64), &machine).address {
                ops.run(.kfree(Handle(p), site: site), &machine)
                ops.run(.kfree(Handle(p), site: site), &machine)                      // double free
            }
        case 1:
            if let p = ops.run(kmalloc(128), &machine).address {
                ops.run(.kfree(Handle(p.advanced(by: 16)), site: site), &machine)     // interior pointer
                ops.run(.kfree(Handle(p), site: site), &machine)
            }
        case 2:
            if let v = ops.run(.vmalloc(OperationRunner.fresh, size: 8192, align: 1, flags: .kernel, site: site), &machine).address {
                ops.run(.kfree(Handle(v), site: site), &machine)                      // kfree of a vmalloc address
                ops.run(.vfree(Handle(v), site: site), &machine)
            }
        case 3:
            if let p = ops.run(kmalloc(64), &machine).address {
                ops.run(.vfree(Handle(p), site: site), &machine)                      // vfree of a kmalloc address
                ops.run(.kfree(Handle(p), site: site), &machine)
            }
        case 4:
            rustMisuse(&ops, &machine)
        default:
            return false
        }
        stage += 1
        return true
    }

    /// A Rust realloc that grows the alignment (reported, then done as the kernel does), a free with
    /// the wrong layout, a free through the wrong allocator type, then the right free.
    func rustMisuse(_ ops: inout OperationRunner, _ machine: inout Machine) {
        let small = Layout(size: 64, align: 8)!
        func realloc(_ kind: AllocatorKind, _ p: VirtualAddress?, _ layout: Layout, _ old: Layout) -> Operation {
            // A free is a realloc to the unit layout with no flags, as `Allocator::free` makes it.
            .rustRealloc(allocator: kind, p.map(Handle.init), layout: layout, oldLayout: old, flags: layout.size == 0 ? [] : .kernel)
        }
        guard let a = ops.run(realloc(.kmalloc, nil, small, .unit), &machine).address else { return }
        // The alignment growth is reported as the v3 rule; the kernel's krealloc then goes on.
        let grown = Layout(size: 128, align: 64)!
        guard let b = ops.run(realloc(.kmalloc, a, grown, small), &machine).address else { return }
        ops.run(realloc(.kmalloc, b, .unit, Layout(size: 100, align: 8)!), &machine)   // wrong layout
        ops.run(realloc(.kvmalloc, b, .unit, grown), &machine)                         // wrong allocator
        ops.run(realloc(.kmalloc, b, .unit, grown), &machine)
    }
}

extension OperationRunner {
    /// Applies an operation a workload built; workloads name allocations by address, which cannot
    /// name a missing allocation, so there is no error to handle.
    @discardableResult
    mutating func run(_ op: Operation, _ machine: inout Machine) -> Outcome {
        (try? apply(op, to: &machine)) ?? .done
    }
}
