import Allocators
import HeapModel

/// `kvmalloc-fallback`: fragments memory with pinned pages, then asks kvmalloc for 64 KiB to
/// 1 MiB buffers: kmalloc's attempt (with `__GFP_NORETRY` or without direct reclaim) finds no
/// block of that order and the request falls back to vmalloc.
struct KVmallocFallbackWorkload: WorkloadRun {
    private var pinned: [PageFrameNumber] = []
    private var stage = 0, cursor = 0
    private var rng: SplitMix
    init(seed: UInt64) { rng = SplitMix(seed: seed) }

    mutating func step(_ machine: inout Machine) -> Bool {
        switch stage {
        case 0:
            for _ in 0..<64 {
                guard let p = try? machine.allocPages(order: 0, gfp: [.highUserMovable, .noWarn], owner: .outside) else {
                    stage = 1; pinned.sort(); return true
                }
                pinned.append(p)
            }
        case 1:
            var n = 0
            while cursor < pinned.count && n < 64 {
                if pinned[cursor].rawValue & 3 != 0 { try? machine.freePages(pinned[cursor], order: 0); n += 1 }
                cursor += 1
            }
            if cursor >= pinned.count { stage = 2; cursor = 0 }
        case 2:
            let size = (64 << 10) << Int(rng.next() % 5)
            _ = KVmalloc.kvmalloc(size, flags: .kernel, site: machine.callSite("kvmalloc_fallback_demo+0x12/0x40"), in: &machine)
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
    private var small = KVec<UInt64>()
    private var large = KVVec<UInt64>()
    private var pushed = 0

    mutating func step(_ machine: inout Machine) -> Bool {
        if pushed < 2_000 {
            try? small.push(UInt64(pushed), flags: .kernel, in: &machine)
            try? large.push(UInt64(pushed), flags: .kernel, in: &machine)
        } else if pushed < 2_010 {
            // Reserve in big steps to cross KMALLOC_MAX_SIZE: the KVVec moves to vmalloc.
            try? large.reserve(large.capacity + 1, flags: .kernel, in: &machine)
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
    mutating func step(_ machine: inout Machine) -> Bool {
        switch stage {
        case 0:
            for _ in 0..<64 where (try? machine.allocPages(order: 0, gfp: [.kernel, .noWarn], owner: .pages)) == nil {
                stage = 1
                return true
            }
        case 1:
            let atomic = GFPFlags.atomic(machine.configuration.kernel)
            if Kmalloc.kmalloc(2048, flags: atomic, site: machine.callSite("netdev_alloc_skb+0x4c/0x120"), in: &machine) == nil {
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
    mutating func step(_ machine: inout Machine) -> Bool {
        guard count < 200 else { return false }
        let site = machine.callSite("vmalloc_lazy_demo+0x20/0x50")
        if let p = Vmalloc.vmalloc(1 << 20, flags: .kernel, site: site, in: &machine), count % 8 != 7 {
            Vmalloc.vfree(p, site: site, in: &machine)
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
    mutating func step(_ machine: inout Machine) -> Bool {
        let site = machine.callSite("misuse_demo+0x10/0x80")
        switch stage {
        case 0:
            if let p = Kmalloc.kmalloc(64, flags: .kernel, site: site, in: &machine) {
                Kmalloc.kfree(p, site: site, in: &machine)
                Kmalloc.kfree(p, site: site, in: &machine)                 // double free
            }
        case 1:
            if let p = Kmalloc.kmalloc(128, flags: .kernel, site: site, in: &machine) {
                Kmalloc.kfree(p.advanced(by: 16), site: site, in: &machine) // interior pointer
                Kmalloc.kfree(p, site: site, in: &machine)
            }
        case 2:
            if let v = Vmalloc.vmalloc(8192, site: site, in: &machine) {
                Kmalloc.kfree(v, site: site, in: &machine)                 // kfree of a vmalloc address
                Vmalloc.vfree(v, site: site, in: &machine)
            }
        case 3:
            if let p = Kmalloc.kmalloc(64, flags: .kernel, site: site, in: &machine) {
                Vmalloc.vfree(p, site: site, in: &machine)                 // vfree of a kmalloc address
                Kmalloc.kfree(p, site: site, in: &machine)
            }
        case 4:
            let small = Layout(size: 64, align: 8)!
            if let a = try? Kmalloc.alloc(small, flags: .kernel, in: &machine) {
                _ = try? Kmalloc.realloc(a.pointer, layout: Layout(size: 128, align: 64)!, oldLayout: small, flags: .kernel, in: &machine)
                _ = try? Kmalloc.free(a.pointer, layout: Layout(size: 100, align: 8)!, in: &machine)   // wrong layout
                _ = try? KVmalloc.free(a.pointer, layout: small, in: &machine)                         // wrong allocator
                _ = try? Kmalloc.free(a.pointer, layout: small, in: &machine)
            }
        default:
            return false
        }
        stage += 1
        return true
    }
}
