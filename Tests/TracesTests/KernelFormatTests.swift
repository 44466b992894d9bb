import HeapModel
import MemtopTestSupport
import Testing
import Traces

/// The kmem tracepoints as older kernels print them, written from each kernel's `TP_printk` in
/// `include/trace/events/kmem.h`:
/// - 5.15: `kmalloc`/`kmem_cache_alloc` without `node=`/`accounted=` (class `kmem_alloc`),
///   separate `kmalloc_node`/`kmem_cache_alloc_node` with `node=%d` (class `kmem_alloc_node`),
///   `kmem_cache_free` with `name=%s`, page events with `pfn=0x%lx`.
/// - 5.10: the same, but `kmem_cache_free` is `kfree`'s class (`call_site=%pS ptr=%p`, no name) and
///   the page events print `pfn=%lu`, in decimal.
/// - older (the 3.x/4.x-era CAF msm tree): `call_site=%lx` (a bare hex address, no symbol),
///   `pfn=%lu`, `mm_page_free_batched` with `cold=%d`.
@Suite("Older kernels' kmem tracepoint text")
struct KernelFormatTests {
    /// x86-64's direct map without 5-level paging; the objects below lie on pfns 0x4a1b-0x4a1e.
    static let line = "           <...>-412     [001] .... 1201.0000"

    /// The page block (order 2) lies at pfn 0x12344: a block's pfn is a multiple of its size.
    static func v515(name: Bool = true, pfn: String = "0x12344") -> [String] {
        [
            "kmalloc: call_site=alloc_fdtable+0x7d/0x110 ptr=ffff888004a1b000 bytes_req=200 bytes_alloc=256 gfp_flags=GFP_KERNEL_ACCOUNT",
            "kmalloc_node: call_site=__alloc_skb+0x8e/0x1d0 ptr=ffff888004a1c000 bytes_req=640 bytes_alloc=1024 gfp_flags=GFP_KERNEL|__GFP_NOWARN node=-1",
            "kmem_cache_alloc: call_site=getname_flags.part.0+0x2b/0x1a0 ptr=ffff888004a1d000 bytes_req=4096 bytes_alloc=4096 gfp_flags=GFP_KERNEL",
            "kmem_cache_alloc_node: call_site=dup_task_struct+0x3a/0x2b0 ptr=ffff888004a1e000 bytes_req=8392 bytes_alloc=8448 gfp_flags=GFP_KERNEL node=-1",
            "kmem_cache_free: call_site=putname+0x4b/0x60 ptr=ffff888004a1d000" + (name ? " name=names_cache" : ""),
            "kfree: call_site=free_fdtable_rcu+0x20/0x40 ptr=ffff888004a1b000",
            "mm_page_alloc: page=ffffea000048d100 pfn=\(pfn) order=2 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE",
        ]
    }

    /// The lines with ftrace's prefix, numbered by their timestamps.
    static func trace(_ bodies: [String]) -> [String] {
        bodies.enumerated().map { k, body in line + (k < 10 ? "0" : "") + "\(k): " + body }
    }

    static func replay(_ bodies: [String], placement: Bool) throws(TraceInputError) -> (Machine, FtraceReplayer) {
        var m = TestMachines.kernel(ram: 512 << 20, kernel: .v6_1)
        var r = FtraceReplayer(file: "old.txt", kernel: .v6_1, check: !placement, placement: placement)
        for (k, text) in trace(bodies).enumerated() { try r.apply(text[...], line: k + 1, strict: true, to: &m) }
        return (m, r)
    }

    static func liveSites(_ m: Machine) -> Set<String> { Set(m.callSiteUsage().keys.map { m.name(of: $0) }) }

    @Test("5.15 and 5.10: the _node events allocate, frees free, 5.15's name= names the cache", arguments: [true, false])
    func v5(names: Bool) throws {
        let (m, r) = try Self.replay(Self.v515(name: names, pfn: names ? "0x12344" : "74564"), placement: false)
        #expect(r.summary.malformedCount == 0 && r.summary.unknownEvents.isEmpty)
        #expect(r.summary.applied == ["kmalloc": 2, "kmem_cache_alloc": 2, "kmem_cache_free": 1, "kfree": 1, "outside pages": 1])
        #expect(r.liveAtEnd == 2)
        #expect(Self.liveSites(m) == ["__alloc_skb+0x8e/0x1d0", "dup_task_struct+0x3a/0x2b0"])
        #expect(m.slabinfo().contains(names ? "names_cache " : "cache-4096-4096 "))
        #expect(m.slabinfo().contains("cache-8392-8448 "))
        // The check compares kmalloc_node's and kmem_cache_alloc_node's bytes_alloc as kmalloc's.
        #expect(r.check?.compared == 4 && r.check?.mismatchCount == 0)
    }

    @Test("5.10's decimal pfn= and 5.15's hex pfn= place the same block", arguments: ["0x12344", "74564"])
    func pagePlacement(pfn: String) throws {
        let (m, _) = try Self.replay([Self.v515(pfn: pfn)[6]], placement: true)
        #expect(m.owner(of: PageFrameNumber(0x12344)) == .outside)
        #expect(m.blockOrder(at: PageFrameNumber(0x12344)) == 2)
        // The free reads the same pfn and order: the machine ends as after 6.1's hex text.
        let free = "mm_page_free: page=ffffea000048d100 pfn=\(pfn) order=2"
        let (freed, r) = try Self.replay([Self.v515(pfn: pfn)[6], free], placement: true)
        let (reference, _) = try Self.replay([Self.v515(pfn: "0x12344")[6], "mm_page_free: page=ffffea000048d100 pfn=0x12344 order=2"], placement: true)
        #expect(r.summary.malformedCount == 0 && r.summary.events["mm_page_free"] == 1)
        #expect(freed == reference)
    }

    @Test("Before %pS: call_site= is a bare address, pfn= decimal, mm_page_free_batched has cold=")
    func oldest() throws {
        let bodies = [
            "kmalloc: call_site=ffffffff8114a5b8 ptr=ffff888004a1b000 bytes_req=200 bytes_alloc=256 gfp_flags=GFP_KERNEL",
            "kmem_cache_alloc_node: call_site=ffffffff81071c2a ptr=ffff888004a1e000 bytes_req=8392 bytes_alloc=8448 gfp_flags=GFP_KERNEL node=-1",
            "kfree: call_site=ffffffff8114a6c0 ptr=ffff888004a1b000",
            "mm_page_alloc: page=ffffea000048d140 pfn=74565 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE",
            "mm_page_free_batched: page=ffffea000048d140 pfn=74565 order=0 cold=0",
        ]
        let (m, r) = try Self.replay(bodies, placement: false)
        #expect(r.summary.malformedCount == 0)
        #expect(r.summary.applied["kfree"] == 1 && r.liveAtEnd == 1)
        #expect(Self.liveSites(m) == ["ffffffff81071c2a"])
    }

    @Test("6.18's kmem_cache_alloc prints name= before its sizes; the cache takes that name")
    func v618Name() throws {
        let (m, r) = try Self.replay([
            "kmem_cache_alloc: call_site=getname_flags+0x2b/0x1a0 ptr=ffff888004a1d000 name=names_cache bytes_req=4096 bytes_alloc=4096 gfp_flags=GFP_KERNEL node=-1 accounted=false",
        ], placement: false)
        #expect(r.summary.applied == ["kmem_cache_alloc": 1])
        #expect(m.slabinfo().contains("names_cache "))
    }
}
