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
        #expect(a.rawValue == VmapSpace.defaultStart)
        let area = try #require(m.vmap.areas.first)
        #expect(area.size == 49152)                  // 45056 page-aligned + 4096 guard
        #expect(area.pages.count == 11)
        for p in area.pages { #expect(m.owner(of: PageFrameNumber(Int(p))) == .vmalloc && m.blockOrder(at: PageFrameNumber(Int(p))) == 0) }
        let b = try #require(Vmalloc.vmalloc(16384, align: 16384, in: &m))   // a thread stack
        #expect(b.rawValue % 16384 == 0 && b.rawValue >= area.end)
        // The 88-byte page array of the first area came from kmalloc-96, as the 6.1 trace shows.
        #expect(m.takeEvents().contains {
            if case let .kmalloc(_, req, alloc, _, _, _) = $0.kind { return req == 88 && alloc == 96 }
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
}
