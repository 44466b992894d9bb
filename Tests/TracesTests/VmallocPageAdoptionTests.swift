import Foundation
import HeapModel
import MemtopTestSupport
import Testing
import Traces

/// A vmalloc of one page, as the 6.1-vmalloc capture shows it (its line 101840 on): the bulk
/// allocator leaves a request for one page to the single-page allocator, so the page is traced
/// (`mm_page_alloc` with the vmalloc's flags and `__GFP_HIGHMEM`) between the probe and its return.
@Suite("Traced pages of a vmalloc placed as the area's")
struct VmallocPageAdoptionTests {
    static let pfn = 0x1cbfa

    static func lines(freed: Bool) -> String {
        var text = """
                vmstress-2544    [001] .....     6.689577: kp_vmalloc: (__vmalloc_node_range+0x0/0x880) size=4096 align=1 start=0xff54de2540000000 end=0xff86de253fffffff gfp=0x500dc0 caller=bpf_prog_alloc_no_stats+0x31/0x1f0
                vmstress-2544    [001] .....     6.689606: kp_alloc_vmap_area: (alloc_vmap_area+0x0/0x880) size=8192 align=1 vstart=0xff54de2540000000 vend=0xff86de253fffffff node=-1 gfp=0x500dc0
                vmstress-2544    [001] .....     6.689630: kp_alloc_vmap_area_ret: (__get_vm_area_node+0xb1/0x150 <- alloc_vmap_area) va=0xff3774635cddb740 va_start=0xff54de25400c5000 va_end=0xff54de25400c7000
                vmstress-2544    [001] .....     6.689662: mm_page_alloc: page=fff3716c4072fe80 pfn=0x1cbfa order=0 migratetype=0 gfp_flags=GFP_HIGHUSER|__GFP_NOWARN|__GFP_ZERO|__GFP_ACCOUNT
                vmstress-2544    [001] .....     6.689673: kp_vmalloc_ret: (__vmalloc_node+0x4a/0x60 <- __vmalloc_node_range) ret=0xff54de25400c5000

            """
        guard freed else { return text }
        text += """
                 kworker/1:1-29      [001] .....     6.721299: kp_vfree: (vfree+0x0/0xa0) addr=0xff54de25400c5000
                 kworker/1:1-29      [001] .....     6.721314: kp_vunmap_core: (__vunmap+0x0/0x340) addr=0xff54de25400c5000 deallocate_pages=1
                 kworker/1:1-29      [001] .....     6.721339: kp_free_vmap_area_noflush: (free_vmap_area_noflush+0x0/0x340) va=0xff3774635cddb740 va_start=0xff54de25400c5000 va_end=0xff54de25400c7000
                 kworker/1:1-29      [001] .....     6.721368: mm_page_free: page=fff3716c4072fe80 pfn=0x1cbfa order=0

            """
        return text
    }

    func replay(_ text: String) throws -> (before: Machine, after: Machine) {
        let (before, machine, replayer) = try placedReplay(text)
        #expect(replayer.summary.simulationFailures == 0)
        return (before, machine)
    }

    static func free(_ m: Machine) -> Int {
        m.populatedZones.map(\.freePages).reduce(0, +) + m.populatedZones.map { m.perCPUPageCount(zone: $0.kind) }.reduce(0, +)
    }

    @Test("The traced page is the area's one page, counted once")
    func adopted() throws {
        let (before, machine) = try replay(Self.lines(freed: false))
        let area = try #require(machine.vmap.areas.first { $0.requested == 4096 && !$0.isLazilyFreed })
        #expect(area.pages == [Int32(Self.pfn)])
        #expect(machine.owner(of: PageFrameNumber(Self.pfn)) == .vmalloc)
        #expect(Self.free(before) - Self.free(machine) == 1, "pages in use for a one-page vmalloc")
        try machine.validateInvariants()
    }

    @Test("vfree then the kernel's page free give the page back once")
    func freedOnce() throws {
        let (before, machine) = try replay(Self.lines(freed: true))
        #expect(machine.owner(of: PageFrameNumber(Self.pfn)).isAllocated == false)
        #expect(Self.free(machine) == Self.free(before))
        try machine.validateInvariants()
    }

    @Test("A movable high-memory page (a user page) of the same task is not taken for the area")
    func userPageNotAdopted() throws {
        let text = Self.lines(freed: false).replacingOccurrences(of: "GFP_HIGHUSER|__GFP_NOWARN", with: "GFP_HIGHUSER_MOVABLE|__GFP_NOWARN")
        let (before, machine) = try replay(text)
        let area = try #require(machine.vmap.areas.first { $0.requested == 4096 && !$0.isLazilyFreed })
        #expect(area.pages != [Int32(Self.pfn)])
        #expect(Self.free(before) - Self.free(machine) == 2)
        try machine.validateInvariants()
    }
}

/// What an accounted vmalloc's pages tell of memcg kmem accounting: with it on, the bulk allocator
/// hands `__GFP_ACCOUNT` pages to the traced single-page allocator; with it off (no cgroup but the
/// root, as in the shared captures' VMs), they come in bulk, untraced.
@Suite("memcg kmem accounting learned from a trace")
struct KmemAccountingTests {
    /// A 16 KiB vmalloc charged to a cgroup (`gfp=0x400dc0`: GFP_KERNEL|__GFP_ZERO|__GFP_ACCOUNT),
    /// with its four pages traced when `traced`.
    static func lines(traced: Bool) -> String {
        var text = """
                vmstress-2544    [001] .....     6.689577: kp_vmalloc: (__vmalloc_node_range+0x0/0x880) size=16384 align=1 start=0xff54de2540000000 end=0xff86de253fffffff gfp=0x400dc0 caller=htab_map_alloc+0x1/0x2
                vmstress-2544    [001] .....     6.689606: kp_alloc_vmap_area: (alloc_vmap_area+0x0/0x880) size=20480 align=1 vstart=0xff54de2540000000 vend=0xff86de253fffffff node=-1 gfp=0x400dc0
                vmstress-2544    [001] .....     6.689630: kp_alloc_vmap_area_ret: (__get_vm_area_node+0xb1/0x150 <- alloc_vmap_area) va=0xff3774635cddb740 va_start=0xff54de25400c5000 va_end=0xff54de25400ca000

            """
        if traced {
            for k in 0..<4 {
                text += "        vmstress-2544    [001] .....     6.68966\(k): mm_page_alloc: page=fff3716c4072fe80 pfn=0x\(String(0x1cbf0 + k, radix: 16)) order=0 migratetype=0 gfp_flags=GFP_KERNEL|__GFP_HIGHMEM|__GFP_ZERO|__GFP_ACCOUNT\n"
            }
        }
        text += "        vmstress-2544    [001] .....     6.689673: kp_vmalloc_ret: (htab_map_alloc+0x4a/0x60 <- __vmalloc_node_range) ret=0xff54de25400c5000\n"
        return text
    }

    @Test("Pages that came untraced came in bulk: accounting is off from then on; all four traced: it stays on")
    func learned() throws {
        let (_, off, r1) = try placedReplay(Self.lines(traced: false))
        #expect(r1.summary.simulationFailures == 0)
        #expect(off.kmemAccounting == false)
        let (_, on, r2) = try placedReplay(Self.lines(traced: true))
        #expect(r2.summary.simulationFailures == 0)
        #expect(on.kmemAccounting == true)
        #expect(on.vmap.areas.first { $0.requested == 16384 }?.pages.map(Int.init) == (0..<4).map { 0x1cbf0 + $0 })
        try off.validateInvariants()
        try on.validateInvariants()
    }
}
