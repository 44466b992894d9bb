import HeapModel
import Operations

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
