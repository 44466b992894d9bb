import Allocators
import HeapModel

extension FtraceReplayer {
    /// The vmalloc kprobes of memtop's captures (`kp_vmalloc`, its area request and return,
    /// `kp_vunmap_core`) and the 6.2+ `vmalloc:` tracepoints.
    mutating func replayVmalloc(_ d: DecodedLine, bytes: UnsafeBufferPointer<UInt8>, on machine: inout Machine) {
        let line = d.line
        switch d.event {
        case .kpVmalloc:
            sawVmallocProbes = true
            let huge = kvmallocFallbacks.removeValue(forKey: d.pid) == d.a || callsVmallocHuge(d, bytes)
            let ours = Vmalloc.vmalloc(d.a, align: d.b, flags: d.flags, site: site(d, bytes, &machine), allowHugeMappings: huge,
                                       cpu: cpu(d, machine), in: &machine)
            let area = ours.flatMap { p in machine.vmap.areaIndex(startingAt: p).map { machine.vmap.areas[$0] } }
            var pending = PendingVmalloc(line: line, ours: ours, size: area?.size ?? 0, align: area?.align ?? 0)
            if d.flags.contains(.account) && !huge && d.a > Page.size { pending.accountedPages = (d.a + Page.size - 1) / Page.size }
            vmallocStack[d.pid, default: []].append(pending)
            if ours == nil { simulationFailed(line, "vmalloc(\(d.a)): memtop could not allocate") } else { appliedCounts[Applied.vmalloc.rawValue] += 1 }
        case .kpAllocVmapArea, .allocVmapArea:
            // The first area request after a kp_vmalloc of the same task (innermost first) is that vmalloc's area.
            guard let k = vmallocStack[d.pid]?.lastIndex(where: { !$0.areaSeen }) else {
                if d.event == .allocVmapArea && !sawVmallocProbes && !d.failed { vmapArea(d, bytes: bytes, on: &machine) }
                return
            }
            vmallocStack[d.pid]![k].areaSeen = true
            let pending = vmallocStack[d.pid]![k]
            check?.compare("vmalloc area size", line: line, real: d.a, ours: pending.size, what: "vmalloc at line \(pending.line): ")
            // The kernel passes the caller's alignment (1 = any page); memtop places at >= PAGE_SIZE.
            check?.compare("vmalloc alignment", line: line, real: max(d.b, Page.size), ours: pending.align,
                           what: "vmalloc at line \(pending.line): ")
        case .kpVmallocRet:
            // Returns come innermost first: a nested vmalloc (the page array) returns before its caller.
            guard let pending = vmallocStack[d.pid]?.popLast() else { return }
            if vmallocStack[d.pid]?.isEmpty == true { vmallocStack[d.pid] = nil }
            if pending.accountedPages > 0 && d.address != 0 && placesAsTraced { learnKmemAccounting(pending, on: &machine) }
            guard let ours = pending.ours else { return }
            if d.address != 0 { vmallocs.updateValue(ours, forKey: d.address) } else { freeVmalloc(ours, cpu: cpu(d, machine), on: &machine) }
        case .kpVunmapCore:
            sawVunmapCore = true
            guard let ours = vmallocs.removeValue(forKey: d.address) else { tally.freesOfUnknown += 1; return }
            freeVmalloc(ours, cpu: cpu(d, machine), on: &machine)
        case .freeVmapAreaNoflush, .kpFreeVmapAreaNoflush:
            // An area's removal: the free of a vmalloc when the trace has no __vunmap probe (6.12+),
            // and the only sign of one without any kprobes. vmap and ioremap areas are not in the map.
            guard !sawVunmapCore, let ours = vmallocs.removeValue(forKey: d.address) else { return }
            freeVmalloc(ours, cpu: cpu(d, machine), on: &machine)
        default:
            break
        }
    }

    /// What an accounted vmalloc's pages tell of memcg kmem accounting: the bulk allocator hands
    /// `__GFP_ACCOUNT` pages to the single-page allocator, which traces each, only when it is on
    /// (6.1 mm/page_alloc.c:5457, 6.12 :4625); pages that came untraced came
    /// in bulk, so it was off. All of them traced: on (or the zone was too low for the bulk
    /// path, which memtop's own check then finds too).
    mutating func learnKmemAccounting(_ pending: PendingVmalloc, on machine: inout Machine) {
        machine.kmemAccounting = pending.adoptedPages * 2 >= pending.accountedPages
    }

    /// A kmalloc the kernel could not satisfy. When kvmalloc made it (its call site is in
    /// `kvmalloc_node` (6.1) or `__kvmalloc_node_noprof` (6.12)) for more than a page, kvmalloc goes
    /// on to `__vmalloc_node_range()` with the same size and `VM_ALLOW_HUGE_VMAP` (6.1 `mm/util.c`
    /// `kvmalloc_node`); the vmalloc probe does not show vm_flags, so the attempt is what tells.
    mutating func noteFailedKmalloc(_ d: DecodedLine, bytes: UnsafeBufferPointer<UInt8>) {
        guard d.a > Page.size, d.siteEnd > d.siteStart, let base = bytes.baseAddress else { return }
        let site = UnsafeBufferPointer(start: base + Int(d.siteStart), count: Int(d.siteEnd - d.siteStart))
        guard site.firstRange(of: "kvmalloc".utf8) != nil else { return }
        kvmallocFallbacks[d.pid] = d.a
    }

    /// Whether a vmalloc probe's caller is a `vmalloc_huge()` user (6.1: `alloc_large_system_hash`,
    /// `inet_pernet_hashinfo_alloc`): `vmalloc_huge()` passes its own caller on, with `VM_ALLOW_HUGE_VMAP`.
    func callsVmallocHuge(_ d: DecodedLine, _ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard d.a >= Vmalloc.hugeMappingSize, d.siteEnd > d.siteStart, let base = bytes.baseAddress else { return false }
        let site = UnsafeBufferPointer(start: base + Int(d.siteStart), count: Int(d.siteEnd - d.siteStart))
        return Self.vmallocHugeCallers.contains { site.starts(with: $0.utf8) }
    }

    static let vmallocHugeCallers = ["alloc_large_system_hash+", "inet_pernet_hashinfo_alloc+"]

    /// Frees a replayed vmalloc area; its pages were memtop's choice, so the trace's frees of the
    /// kernel's own pages that follow find nothing to free and are taken as these.
    mutating func freeVmalloc(_ ours: VirtualAddress, cpu: Int, on machine: inout Machine) {
        let pages = machine.vmap.areaIndex(startingAt: ours).map { machine.vmap.areas[$0].pages.count } ?? 0
        if Vmalloc.vfree(ours, cpu: cpu, in: &machine) != nil { tally.violations += 1; return }
        appliedCounts[Applied.vfree.rawValue] += 1
        if placesAsTraced { absorbedPageFrees += pages }
    }

    /// An order-9 page allocation while the same task is inside a huge vmalloc: one of the area's
    /// blocks (`vm_area_alloc_pages()` traces its high-order blocks, unlike its bulk order-0
    /// pages). The block replaces as many of memtop's own pages of that area, so the area is
    /// counted once, at the kernel's frames.
    /// - Returns: false when the line is not such a block (it is then placed as plain pages).
    mutating func adoptHugeVmallocBlock(_ d: DecodedLine, on machine: inout Machine) -> Bool {
        adoptIntoPendingVmalloc(d, hugeOnly: true, on: &machine)
    }

    /// An order-0 page allocation while the same task is inside a vmalloc, with the flags
    /// `__vmalloc_area_node()` gives its pages (`__GFP_HIGHMEM` added, not movable): the bulk
    /// allocator hands a request for one page (a vmalloc of one page, or a last chunk of one) to
    /// the single-page allocator, which traces it (6.1 mm/page_alloc.c:5460, 6.12 :4628, "Use the
    /// single page allocator for one page"). The page replaces one of memtop's own pages of that
    /// area, as a huge vmalloc's blocks do, so the area is counted once, at the kernel's frame.
    /// - Returns: false when the line is not such a page.
    mutating func adoptVmallocPage(_ d: DecodedLine, on machine: inout Machine) -> Bool {
        guard d.a == 0, Self.isVmallocPage(d.flags) else { return false }
        return adoptIntoPendingVmalloc(d, hugeOnly: false, on: &machine)
    }

    /// The flags of a vmalloc'd page: `__GFP_HIGHMEM` (added when the caller named no zone) and
    /// not movable (user pages, which are also high-memory, are movable).
    static func isVmallocPage(_ flags: GFPFlags) -> Bool { flags.contains(.highMem) && !flags.contains(.movable) }

    /// Puts the traced block of line `d` into the innermost vmalloc its task is in (a huge one only,
    /// with `hugeOnly`), in place of as many of memtop's own pages of that area.
    mutating func adoptIntoPendingVmalloc(_ d: DecodedLine, hugeOnly: Bool, on machine: inout Machine) -> Bool {
        guard var stack = vmallocStack[d.pid], let k = stack.lastIndex(where: { $0.ours != nil }),
              let ours = stack[k].ours, !hugeOnly || stack[k].size > Vmalloc.hugeMappingSize else { return false }
        let type = MigrateType(rawValue: d.b) ?? .unmovable
        do {
            guard let report = try machine.adoptTracedBlock(PageFrameNumber(Int(truncatingIfNeeded: d.address)), order: Order(d.a),
                                                            migrateType: type, gfp: d.flags, cpu: cpu(d, machine),
                                                            intoAreaAt: ours, from: stack[k].adoptedPages) else { return false }
            tally.placement.relocated += report.relocated
            tally.placement.lostFrees += report.lostFrees
        } catch {
            tally.placement.pagesNotManaged += 1
            return true
        }
        stack[k].adoptedPages += 1 << d.a
        vmallocStack[d.pid] = stack
        appliedCounts[Applied.kernelPages.rawValue] += 1
        return true
    }

    /// A 6.2+ `alloc_vmap_area` with no kprobes in the trace: the area (its size includes the guard
    /// page) is replayed as a vmalloc of the rest, at the same alignment, so that the vmalloc range
    /// and its pages fill as they did. vmap and ioremap areas map pages that already exist; the
    /// tracepoint does not say which kind an area is, so they get pages too (documented).
    mutating func vmapArea(_ d: DecodedLine, bytes: UnsafeBufferPointer<UInt8>, on machine: inout Machine) {
        guard d.a > Page.size else { return }
        let ours = Vmalloc.vmalloc(d.a - Page.size, align: max(d.b, 1), flags: .kernel, cpu: cpu(d, machine), in: &machine)
        guard let ours else { simulationFailed(d.line, "vmap area of \(d.a) bytes: memtop could not allocate"); return }
        if let old = vmallocs.updateValue(ours, forKey: d.address) { Vmalloc.vfree(old, in: &machine) }
        appliedCounts[Applied.vmalloc.rawValue] += 1
    }
}
