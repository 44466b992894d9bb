import Allocators
import HeapModel
import MemtopTestSupport
import Testing
import Traces

#if canImport(Glibc)
import Glibc
#endif

/// The lines of one 8 MiB `kvmalloc` that fell back to vmalloc, as the 6.1-vmalloc capture shows
/// them (its line 73112 on): the failed kmalloc attempt of `kvmalloc_node` (`kvmallocSite`), the
/// vmalloc probe, the kernel's area request (2 MiB aligned) and the return. Without the attempt the
/// same vmalloc is a plain one.
func kvmallocFallbackLines(kvmallocSite: String?, size: Int = 8 << 20, areaAlign: Int = 2 << 20) -> String {
    var lines = ""
    if let kvmallocSite {
        lines += "        vmstress-2518    [000] .....     6.215889: kmalloc: call_site=\(kvmallocSite) ptr=0000000000000000 bytes_req=\(size) bytes_alloc=\(size) gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_NOWARN|__GFP_NORETRY node=-1 accounted=true\n"
    }
    let area = (areaAlign > 4096 ? (size + (2 << 20) - 1) / (2 << 20) * (2 << 20) : size) + 4096
    lines += """
            vmstress-2518    [000] .....     6.215938: kp_vmalloc: (__vmalloc_node_range+0x0/0x880) size=\(size) align=1 start=0xff54de2540000000 end=0xff86de253fffffff gfp=0x400cc0 caller=alloc_fdtable+0x7c/0x130
            vmstress-2518    [000] .....     6.216025: kp_alloc_vmap_area: (alloc_vmap_area+0x0/0x880) size=\(area) align=\(areaAlign) vstart=0xff54de2540000000 vend=0xff86de253fffffff node=-1 gfp=0x400cc0
            vmstress-2518    [000] .....     6.216063: kp_alloc_vmap_area_ret: (__get_vm_area_node+0xb1/0x150 <- alloc_vmap_area) va=0xff3774635dce1b00 va_start=0xff54de2545000000 va_end=0xff54de2545801000
            vmstress-2518    [000] .....     6.230204: kp_vmalloc_ret: (kvmalloc_node+0x8a/0xd0 <- __vmalloc_node_range) ret=0xff54de2545000000

        """
    return lines
}

@Suite("Huge vmalloc in replays")
struct HugeVmallocReplayTests {
    /// Replays `text` on a fresh 1 GiB machine of `kernel` with the check on.
    func replay(_ text: String, kernel: KernelVersion) throws -> (CheckReport, Machine) {
        let path = temporaryFile(header + text)
        defer { unlink(path) }
        var machine = TestMachines.kernel(ram: 1 << 30, cpus: 2, kernel: kernel)
        var replayer = FtraceReplayer(file: path, kernel: kernel, check: true)
        try feed(&replayer, &machine, path: path, strict: true)
        return (try #require(replayer.check), machine)
    }

    @Test("kvmalloc's vmalloc fallback of 2 MiB or more is aligned to 2 MiB and backed by order-9 blocks",
          arguments: [(KernelVersion.v6_1, "kvmalloc_node+0x3f/0xd0"), (.v6_12, "__kvmalloc_node_noprof+0x4b/0x110")])
    func kvmallocFallback(kernel: KernelVersion, site: String) throws {
        let (check, machine) = try replay(kvmallocFallbackLines(kvmallocSite: site), kernel: kernel)
        #expect(check.compared == 2)
        #expect(check.mismatches.isEmpty, "\(check.mismatches)")
        let area = try #require(machine.vmap.areas.first { $0.pages.count == 2048 })
        #expect(area.align == 2 << 20 && area.start.rawValue % (2 << 20) == 0)
        #expect(area.pageOrder == 9)
        try machine.validateInvariants()
    }

    @Test("A plain vmalloc of the same size, and a kvmalloc fallback below 2 MiB, stay page aligned")
    func notHuge() throws {
        let (plain, machine) = try replay(kvmallocFallbackLines(kvmallocSite: nil, areaAlign: 1), kernel: .v6_1)
        #expect(plain.mismatches.isEmpty, "\(plain.mismatches)")
        #expect(machine.vmap.areas.allSatisfy { $0.pageOrder == 0 })
        let small = kvmallocFallbackLines(kvmallocSite: "kvmalloc_node+0x3f/0xd0", size: 1 << 20, areaAlign: 1)
        let (check, _) = try replay(small, kernel: .v6_1)
        #expect(check.compared == 2)
        #expect(check.mismatches.isEmpty, "\(check.mismatches)")
    }
}

/// Replays `text` on a fresh 1 GiB, 2-CPU 6.1 machine, placing pages as traced, with the check on:
/// the machine before, after, and the replayer.
func placedReplay(_ text: String) throws -> (before: Machine, after: Machine, FtraceReplayer) {
    let path = temporaryFile(header + text)
    defer { unlink(path) }
    let before = TestMachines.kernel(ram: 1 << 30, cpus: 2, kernel: .v6_1)
    var machine = before
    var replayer = FtraceReplayer(file: path, kernel: .v6_1, check: true, placement: true)
    try feed(&replayer, &machine, path: path, strict: true)
    return (before, machine, replayer)
}

/// A huge vmalloc's blocks are traced (`vm_area_alloc_pages()` allocates order-9 blocks one at a
/// time through `alloc_pages_node()`); a replay that places pages as traced backs the area with them.
@Suite("Huge vmalloc blocks placed as traced")
struct HugeVmallocPlacementTests {
    static let blocks = [0x1e200, 0x18000, 0x18200, 0xfc00]

    /// The 6.1-vmalloc capture's 8 MiB fd table (its lines 73112 on), with the kernel's four
    /// order-9 blocks between the area request and the return; then, with `freed`, its vfree as
    /// 6.1 traces it: `__vunmap` first, then each small page's free.
    static func lines(freed: Bool) -> String {
        var lines = kvmallocFallbackLines(kvmallocSite: "kvmalloc_node+0x3f/0xd0").split(separator: "\n").map(String.init)
        let ret = lines.firstIndex { $0.contains("kp_vmalloc_ret") }!
        lines.insert(contentsOf: blocks.map {
            "        vmstress-2518    [000] .....     6.22: mm_page_alloc: page=fff3716c40788000 pfn=0x\(String($0, radix: 16)) order=9 migratetype=0 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_HIGHMEM|__GFP_NOWARN"
        }, at: ret)
        var text = lines.joined(separator: "\n") + "\n"
        guard freed else { return text }
        text += "        vmstress-2518    [000] .....     6.247548: kp_vfree: (vfree+0x0/0xa0) addr=0xff54de2545000000\n"
        text += "        vmstress-2518    [000] .....     6.247562: kp_vunmap_core: (__vunmap+0x0/0x340) addr=0xff54de2545000000 deallocate_pages=1\n"
        for block in blocks {
            for k in 0..<512 {
                text += "        vmstress-2518    [000] .....     6.25: mm_page_free: page=fff3716c40788000 pfn=0x\(String(block + k, radix: 16)) order=0\n"
            }
        }
        return text
    }

    func replay(_ text: String) throws -> (before: Machine, after: Machine, FtraceReplayer) {
        try placedReplay(text)
    }

    @Test("The area's pages are the kernel's four order-9 blocks, counted once")
    func blocksAdopted() throws {
        let (before, machine, replayer) = try replay(Self.lines(freed: false))
        let area = try #require(machine.vmap.areas.first { $0.requested == 8 << 20 })
        #expect(area.pageOrder == 9)
        #expect(area.pages == Self.blocks.flatMap { b in (0..<512).map { Int32(b + $0) } })
        for b in Self.blocks {
            #expect(machine.owner(of: PageFrameNumber(b + 17)) == .vmalloc)
        }
        // 2048 pages in use for the area (the page array is the trace's to allocate, and it has none here).
        let used = before.populatedZones.map(\.freePages).reduce(0, +) - machine.populatedZones.map(\.freePages).reduce(0, +)
        #expect(used == 2048, "pages taken by the 8 MiB area: \(used)")
        #expect(replayer.summary.simulationFailures == 0)
        try machine.validateInvariants()
    }

    @Test("vfree then the kernel's page frees give every page back once")
    func freedOnce() throws {
        let (before, machine, _) = try replay(Self.lines(freed: true))
        #expect(!machine.vmap.areas.contains { $0.requested == 8 << 20 && !$0.isLazilyFreed })
        for b in Self.blocks { #expect(machine.owner(of: PageFrameNumber(b)).isAllocated == false) }
        let free = { (m: Machine) in m.populatedZones.map(\.freePages).reduce(0, +) + m.populatedZones.map { m.perCPUPageCount(zone: $0.kind) }.reduce(0, +) }
        #expect(free(machine) == free(before), "free pages after the vfree: \(free(machine)), before: \(free(before))")
        try machine.validateInvariants()
    }
}
