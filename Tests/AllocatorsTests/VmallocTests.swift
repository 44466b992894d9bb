import Allocators
import HeapModel
import MemtopTestSupport
import Testing

@Suite("Vmalloc")
struct VmallocTests {
    @Test("An area is page-aligned, one guard page longer, lowest fit, backed by order-0 pages")
    func areaLayout() throws {
        var m = TestMachines.kernel()
        m.setRecording(true)
        let a = try #require(Vmalloc.vmalloc(42312, in: &m))
        #expect(a == VmapSpace.defaultStart)
        let area = try #require(m.vmap.areas.first)
        #expect(area.size == 49152)                  // 45056 page-aligned + 4096 guard
        #expect(area.pages.count == 11)
        for p in area.pages { #expect(m.owner(of: PageFrameNumber(Int(p))) == .vmalloc && m.blockOrder(at: PageFrameNumber(Int(p))) == 0) }
        let b = try #require(Vmalloc.vmalloc(16384, align: 16384, in: &m))   // a thread stack
        #expect(b.rawValue % 16384 == 0 && b >= area.end)
        // The 88-byte page array of the first area came from kmalloc-96, as the 6.1 trace shows.
        #expect(m.takeEvents().contains {
            if case let .objectAllocated(_, req, alloc, _, _, _) = $0.kind { return req == 88 && alloc == 96 }
            return false
        })
        #expect(m.vmallocinfo().hasPrefix("0xffffc90000000000-0xffffc9000000c000   49152 memtop_workload+0x0/0x0 pages=11 vmalloc N0=11\n"))
        try m.validateInvariants()
    }

    @Test("vfree frees the pages at once; the range waits for the lazy purge at lazy_max_pages")
    func lazyPurge() throws {
        var m = TestMachines.kernel(cpus: 2)
        #expect(m.vmap.lazyMaxPages == 16384)   // fls(2) * 8192
        let a = try #require(Vmalloc.vmalloc(1 << 20, in: &m))
        let free0 = m.totalFreePages
        #expect(Vmalloc.vfree(a, in: &m) == nil)
        // The 256 backing pages come back at once (the page array's kmalloc-4k slab stays cached).
        #expect(m.totalFreePages == free0 + 256)
        #expect(m.vmap.lazyPages == 257)
        #expect(m.vmallocinfo().contains("unpurged vm_area"))
        // The freed range is not reused until the purge.
        let b = try #require(Vmalloc.vmalloc(4096, in: &m))
        #expect(b.rawValue > a.rawValue)
        // Freeing 64 MiB more crosses the limit and purges everything lazily freed.
        for _ in 0..<64 {
            let c = try #require(Vmalloc.vmalloc(1 << 20, in: &m))
            Vmalloc.vfree(c, in: &m)
        }
        #expect(m.vmap.lazyPages < m.vmap.lazyMaxPages)
        try m.validateInvariants()
    }

    @Test("vrealloc grows in place within the allocated pages and moves beyond them")
    func vrealloc() throws {
        var m = TestMachines.kernel()
        let a = try #require(Vmalloc.vmalloc(5000, in: &m))
        m.writeBytes(Array(repeating: 7, count: 5000), at: a)
        #expect(try Vmalloc.vrealloc(a, newSize: 8000, flags: .kernel, in: &m).get() == a)
        let b = try #require(try Vmalloc.vrealloc(a, newSize: 20000, flags: .kernel, in: &m).get())
        #expect(b != a)
        #expect(m.readBytes(at: b, count: 5000) == Array(repeating: 7, count: 5000))
        try m.validateInvariants()
    }

    @Test("Misuse: double vfree, interior pointer, vfree of a kmalloc address")
    func misuse() throws {
        var m = TestMachines.kernel()
        let a = try #require(Vmalloc.vmalloc(8192, in: &m))
        let k = try #require(Kmalloc.kmalloc(64, flags: .kernel, in: &m))
        #expect(Vmalloc.vfree(a.advanced(by: 4096), in: &m)?.kind == .invalidFree)
        #expect(Vmalloc.vfree(k, in: &m)?.kind == .wrongAllocator)
        Vmalloc.vfree(a, in: &m)
        let before = m
        #expect(Vmalloc.vfree(a, in: &m)?.kind == .doubleFree)
        #expect(m == before)
    }

    @Test("kvmalloc's vmalloc fallback of 8 MiB is huge-mapped: 2 MiB aligned, order-9 blocks split into small pages",
          arguments: KernelVersion.allCases)
    func hugeKvmalloc(kernel: KernelVersion) throws {
        var m = TestMachines.kernel(kernel: kernel)
        m.setRecording(true)
        // An 8 MiB fd table, as in the 6.1-vmalloc capture: kmalloc refuses (above KMALLOC_MAX_SIZE),
        // then kp_alloc_vmap_area size=8392704 align=2097152 and four order-9 mm_page_alloc lines.
        let p = try #require(KVmalloc.kvmalloc(8 << 20, flags: .kernelAccount, in: &m))
        let area = try #require(m.vmap.areas.first { $0.start == p })
        #expect(area.size == 8392704 && area.align == 2097152 && p.rawValue % 2097152 == 0)
        #expect(area.pageOrder == 9 && area.pages.count == 2048)
        for (k, frame) in area.pages.enumerated() {
            // Runs of 512 contiguous frames, each an independent order-0 page after split_page().
            if k % 512 != 0 { #expect(frame == area.pages[k - 1] + 1) } else { #expect(frame % 512 == 0) }
            #expect(m.owner(of: PageFrameNumber(Int(frame))) == .vmalloc && m.blockOrder(at: PageFrameNumber(Int(frame))) == 0)
        }
        let orders = m.takeEvents().compactMap { event -> (Int, GFPFlags)? in
            if case let .pagesAllocated(_, order, _, gfp, _) = event.kind, order == 9 { return (order.rawValue, gfp) }
            return nil
        }
        #expect(orders.count == 4)
        if kernel == .v6_1 {
            #expect(orders.first?.1.traceString(.v6_1) == "GFP_KERNEL_ACCOUNT|__GFP_HIGHMEM|__GFP_NOWARN")
        }
        // vmallocinfo counts small pages (nr_pages) for a huge area too; the 16 KiB page array is a nested vmalloc.
        #expect(m.vmallocinfo().contains(" 8392704 memtop_workload+0x0/0x0 pages=2048 vmalloc vpages N0=2048\n"))
        try m.validateInvariants()
        let free = m.totalFreePages
        #expect(KVmalloc.kvfree(p, in: &m) == nil)
        #expect(m.totalFreePages == free + 2048 + 4)   // the area's pages and the page array's 4
        try m.validateInvariants()
    }

    @Test("Below 2 MiB, and for plain vmalloc, the area stays order-0 at page alignment")
    func noHugeBelowPMD() throws {
        var m = TestMachines.kernel()
        let small = try #require(Vmalloc.vmalloc((2 << 20) - 4096, flags: .kernel, allowHugeMappings: true, in: &m))
        let plain = try #require(Vmalloc.vmalloc(8 << 20, in: &m))
        for p in [small, plain] {
            let area = try #require(m.vmap.areas.first { $0.start == p })
            #expect(area.pageOrder == 0 && area.align == 4096)
            #expect(area.size == area.pages.count * 4096 + 4096)
        }
        let huge = try #require(Vmalloc.vmallocHuge(3 << 20, in: &m))
        let area = try #require(m.vmap.areas.first { $0.start == huge })
        // 3 MiB rounds up to 4 MiB of huge pages, plus the guard page.
        #expect(area.pageOrder == 9 && area.size == (4 << 20) + 4096 && area.pages.count == 1024)
        try m.validateInvariants()
    }

    @Test("Without an order-9 block the huge attempt is freed lazily and the area retried with order-0 pages")
    func hugeFallsBackToSmallPages() throws {
        var m = try TestMachines.fragmentedKernel(.v6_1)
        let p = try #require(KVmalloc.kvmalloc(3 << 20, flags: .kernel, in: &m))
        let area = try #require(m.vmap.areas.first { $0.start == p })
        #expect(area.pageOrder == 0 && area.align == 4096 && area.size == (3 << 20) + 4096 && area.pages.count == 768)
        // The huge attempt's 4 MiB + guard range waits for the purge, as __vfree() leaves it.
        #expect(m.vmap.lazyPages == 1025)
        #expect(m.vmallocinfo().contains(" 4198400 unpurged vm_area\n"))
        #expect(p >= VmapSpace.defaultStart.advanced(by: 4198400))
        try m.validateInvariants()
    }

    @Test("vrealloc(NULL, 0) is vfree(NULL): NULL, and no allocation-failure warning")
    func vreallocNullZero() throws {
        var m = TestMachines.kernel()
        m.setRecording(true)
        #expect(try Vmalloc.vrealloc(.null, newSize: 0, flags: .kernel, in: &m).get() == nil)
        #expect(!m.takeEvents().contains { if case .allocationFailed = $0.kind { return true } else { return false } })
        #expect(m.vmap.areas.isEmpty)
        // The Rust Vmalloc's zero-sized alloc goes the same way.
        let zero = try Vmalloc.alloc(Layout(size: 0, align: 8)!, flags: .kernel, in: &m)
        #expect(zero.size == 0)
        #expect(!m.takeEvents().contains { if case .allocationFailed = $0.kind { return true } else { return false } })
    }

    @Test("vrealloc zeroes a dropped tail only with __GFP_ZERO, never on a grow in place, and refuses a bigger alignment")
    func vreallocZeroingAndAlignment() throws {
        var m = TestMachines.kernel()
        let a = try #require(Vmalloc.vmalloc(5000, in: &m))
        m.writeBytes(Array(repeating: 7, count: 5000), at: a)
        // Shrink without __GFP_ZERO: the tail keeps its bytes.
        #expect(try Vmalloc.vrealloc(a, newSize: 3000, flags: .kernel, in: &m).get() == a)
        #expect(m.readBytes(at: a.advanced(by: 3000), count: 2000) == Array(repeating: 7, count: 2000))
        // Grow back in place, even with __GFP_ZERO: nothing is zeroed.
        #expect(try Vmalloc.vrealloc(a, newSize: 5000, flags: [.kernel, .zero], in: &m).get() == a)
        #expect(m.readBytes(at: a.advanced(by: 3000), count: 2000) == Array(repeating: 7, count: 2000))
        // Shrink with __GFP_ZERO: [new size, old requested size) is zeroed.
        #expect(try Vmalloc.vrealloc(a, newSize: 4000, flags: [.kernel, .zero], in: &m).get() == a)
        #expect(m.readBytes(at: a.advanced(by: 4000), count: 1000) == Array(repeating: 0, count: 1000))
        #expect(m.readBytes(at: a.advanced(by: 3000), count: 1000) == Array(repeating: 7, count: 1000))
        // The second area starts one 8 KiB area (page + guard) in: aligned to 8 KiB, not to 16 KiB.
        let b = try #require(Vmalloc.vmalloc(4096, in: &m))
        #expect(b.rawValue % 16384 != 0)
        #expect(try Vmalloc.vrealloc(b, newSize: 100_000, align: 16384, flags: .kernel, in: &m).get() == nil)
        #expect(Vmalloc.allocatedSize(b, in: m) == 4096)
        try m.validateInvariants()
    }
}
