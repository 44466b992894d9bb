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
