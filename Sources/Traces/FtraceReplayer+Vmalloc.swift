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
            let ours = Vmalloc.vmalloc(d.a, align: d.b, flags: d.flags, site: site(d, bytes, &machine), in: &machine)
            let area = ours.flatMap { p in machine.vmap.areaIndex(startingAt: p.rawValue).map { machine.vmap.areas[$0] } }
            pendingVmalloc[d.pid] = (line, ours, area?.size ?? 0, area?.align ?? 0)
            awaitingReturn[d.pid] = ours
            if ours == nil { tally.simulationFailures += 1 } else { appliedCounts[Applied.vmalloc.rawValue] += 1 }
        case .kpAllocVmapArea, .allocVmapArea:
            // The first area request after a kp_vmalloc of the same task is that vmalloc's area.
            guard let pending = pendingVmalloc.removeValue(forKey: d.pid) else {
                if d.event == .allocVmapArea && !sawVmallocProbes && !d.failed { vmapArea(d, bytes: bytes, on: &machine) }
                return
            }
            check?.compare("vmalloc area size", line: line, real: d.a, ours: pending.size, what: "vmalloc at line \(pending.line): ")
            // The kernel passes the caller's alignment (1 = any page); memtop places at >= PAGE_SIZE.
            check?.compare("vmalloc alignment", line: line, real: max(d.b, Page.size), ours: pending.align,
                           what: "vmalloc at line \(pending.line): ")
        case .kpVmallocRet:
            guard let ours = awaitingReturn.removeValue(forKey: d.pid) else { return }
            if d.address != 0, let ours { vmallocs.updateValue(ours, forKey: d.address) } else if let ours { Vmalloc.vfree(ours, in: &machine) }
        case .kpVunmapCore:
            guard let ours = vmallocs.removeValue(forKey: d.address) else { tally.freesOfUnknown += 1; return }
            if Vmalloc.vfree(ours, in: &machine) != nil { tally.violations += 1 }
            appliedCounts[Applied.vfree.rawValue] += 1
        case .freeVmapAreaNoflush:
            // Without the kprobes, the area's lazy free is the only sign of a vfree.
            guard !sawVmallocProbes else { return }
            guard let ours = vmallocs.removeValue(forKey: d.address) else { tally.freesOfUnknown += 1; return }
            if Vmalloc.vfree(ours, in: &machine) != nil { tally.violations += 1 }
            appliedCounts[Applied.vfree.rawValue] += 1
        default:
            break
        }
    }

    /// A 6.2+ `alloc_vmap_area` with no kprobes in the trace: the area (its size includes the guard
    /// page) is replayed as a vmalloc of the rest, at the same alignment, so that the vmalloc range
    /// and its pages fill as they did. vmap and ioremap areas map pages that already exist; the
    /// tracepoint does not say which kind an area is, so they get pages too (documented).
    mutating func vmapArea(_ d: DecodedLine, bytes: UnsafeBufferPointer<UInt8>, on machine: inout Machine) {
        guard d.a > Page.size else { return }
        let ours = Vmalloc.vmalloc(d.a - Page.size, align: max(d.b, 1), flags: .kernel, in: &machine)
        guard let ours else { tally.simulationFailures += 1; return }
        if let old = vmallocs.updateValue(ours, forKey: d.address) { Vmalloc.vfree(old, in: &machine) }
        appliedCounts[Applied.vmalloc.rawValue] += 1
    }
}
