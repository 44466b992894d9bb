import HeapModel
import MemtopTestSupport
import Testing
import Traces

/// `kmem_cache_alloc_bulk()` emits no event (6.1 and 6.12 mm/slub.c), and the maple tree
/// allocates its nodes that way, then frees them one by one with a traced `kmem_cache_free`. A
/// placed replay tells those frees (a free slot of a slab the trace itself placed) from frees of
/// objects allocated before tracing.
@Suite("Frees of objects allocated with no trace event")
struct UntracedAllocationTests {
    @Test("A free at a free slot of a traced slab is an untraced allocation's; one outside any slab is from before tracing")
    func classified() throws {
        var m = TestMachines.kernel(ram: 512 << 20, kernel: .v6_1)
        var r = FtraceReplayer(file: "bulk.txt", kernel: .v6_1, check: true, placement: true)
        let prefix = "         kworker-77      [001] .....   100.0000"
        let bodies = [
            "mm_page_alloc: page=ffffea000012a6c0 pfn=0x4a1b order=0 migratetype=0 gfp_flags=GFP_KERNEL",
            "kmem_cache_alloc: call_site=mas_alloc_nodes+0x50/0x300 ptr=ffff888004a1b000 bytes_req=256 bytes_alloc=256 gfp_flags=GFP_KERNEL node=-1 accounted=false",
            // Slots 1 and 2 of that slab were never allocated in the trace: kmem_cache_alloc_bulk.
            "kmem_cache_free: call_site=mt_free_rcu+0x10/0x20 ptr=ffff888004a1b100 name=maple_node",
            "kmem_cache_free: call_site=mt_free_rcu+0x10/0x20 ptr=ffff888004a1b200 name=maple_node",
            "kmem_cache_free: call_site=mt_free_rcu+0x10/0x20 ptr=ffff888004a1b000 name=maple_node",
            // Nowhere memtop has a slab: an object from before tracing.
            "kfree: call_site=security_cred_free+0x3c/0x50 ptr=ffff888006c00040",
        ]
        for (k, body) in bodies.enumerated() {
            try r.apply((prefix + "\(k): " + body)[...], line: k + 1, strict: true, to: &m)
        }
        let s = r.summary
        #expect(s.freesOfUntracedAllocations == 2)
        #expect(s.freesOfUnknown == 1)
        #expect(s.applied["kmem_cache_free"] == 1)
        #expect(r.check?.mismatchCount == 0)
        try m.validateInvariants()
    }
}
