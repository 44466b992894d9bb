import Allocators
import HeapModel

extension FtraceReplayer {
    /// Sets the machine up for a replay that places pages as the kernel did: empty slabs wait for
    /// the trace's page frees, vmalloc leaves page arrays to the trace, and per-CPU page lists are
    /// on, sized as `zone_batchsize()` and `zone_highsize()` size them (unless already set up from
    /// a capture's own counts).
    mutating func prepareForPlacement(_ machine: inout Machine) {
        placementPrepared = true
        machine.slabPagesFollowTrace = true
        machine.pageArraysFromTrace = true
        machine.reservationsAreReconstructed = true
        guard !machine.perCPUListsEnabled else { return }
        var high: [ZoneKind: Int] = [:], batch: [ZoneKind: Int] = [:]
        for zone in machine.populatedZones {
            var b = min(zone.managedPages >> 10, (1 << 20) / Page.size) / 4
            b = b + b / 2
            b = b > 0 ? (1 << (Int.bitWidth - 1 - b.leadingZeroBitCount)) - 1 : 0
            b = max(b, 1)
            batch[zone.kind] = b
            high[zone.kind] = max(zone.watermarks.low / max(machine.configuration.cpus, 1), b << 2)
        }
        machine.enablePerCPULists(high: high, batch: batch)
    }

    /// The simulation's address of a traced object: the same frame and offset in memtop's direct map.
    func ours(_ real: UInt64, _ machine: Machine) -> VirtualAddress? {
        let offset = real &- directMap.guess(real)
        guard offset < UInt64(machine.endPFN) << 12 else { return nil }
        return VirtualAddress.directMap(PageFrameNumber(0)).advanced(by: Int(offset))
    }

    /// A traced page allocation or free, at the trace's frames.
    mutating func placePages(_ d: DecodedLine, on machine: inout Machine) {
        let pfn = Int(truncatingIfNeeded: d.address)
        switch d.event {
        case .mmPageAlloc:
            let type = MigrateType(rawValue: d.b) ?? .unmovable
            let owner: PageOwner = type == .movable ? .outside : .pages
            do {
                let report = try machine.placeBlock(at: PageFrameNumber(pfn), order: Order(d.a), migrateType: type, owner: owner, gfp: d.flags,
                                                    cpu: cpu(d, machine))
                tally.placement.relocated += report.relocated
                tally.placement.lostFrees += report.lostFrees
                appliedCounts[(type == .movable ? Applied.outsidePages : Applied.kernelPages).rawValue] += 1
                if type != .movable { recentKernelPage[d.cpu] = (pfn, d.a) }
            } catch {
                tally.placement.pagesNotManaged += 1
            }
        case .mmPageFree:
            switch machine.releaseBlock(at: PageFrameNumber(pfn), order: Order(d.a), cpu: d.cpu) {
            case .freed, .toPerCPU:
                appliedCounts[Applied.pageFree.rawValue] += 1
            case .alreadyFree, .heldByMemtop:
                freeOfFreePages(order: d.a, on: &machine)
            case .notManaged:
                tally.simulationFailures += 1
            }
        default:
            break   // mm_page_free_batched repeats a page that has its own mm_page_free
        }
    }

    /// The trace frees frames memtop holds as free: pages of a vmalloc area memtop freed at its own
    /// frames (the kernel's were elsewhere), or memory allocated before tracing that memtop's
    /// reconstruction put elsewhere: then a reconstructed block of that order is what gets freed.
    mutating func freeOfFreePages(order: Int, on machine: inout Machine) {
        if absorbedPageFrees > 0 && order == 0 {
            absorbedPageFrees -= 1
            return
        }
        if hasReconstructedState, let pfn = machine.reconstructedBlock(order: Order(order), from: PageFrameNumber(reconstructedHint)) {
            reconstructedHint = pfn.rawValue
            machine.releaseBlock(at: pfn, order: Order(order), cpu: nil)
            tally.placement.reconstructedFreed += 1
        } else {
            tally.placement.freesOfFreePages += 1
        }
    }
}
