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
