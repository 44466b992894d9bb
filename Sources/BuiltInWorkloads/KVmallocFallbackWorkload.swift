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
