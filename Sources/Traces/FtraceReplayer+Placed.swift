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
            if d.a == Vmalloc.hugePageOrder && adoptHugeVmallocBlock(d, on: &machine) { return }
            if d.a == 0 && !vmallocStack.isEmpty && adoptVmallocPage(d, on: &machine) { return }
            let type = MigrateType(rawValue: d.b) ?? .unmovable
            let owner: PageOwner = type == .movable ? .outside : .pages
            do {
                let report = try machine.placeBlock(at: PageFrameNumber(pfn), order: Order(d.a), migrateType: type, owner: owner, gfp: d.flags,
                                                    cpu: cpu(d, machine))
                tally.placement.relocated += report.relocated
                tally.placement.lostFrees += report.lostFrees
                appliedCounts[(type == .movable ? Applied.outsidePages : Applied.kernelPages).rawValue] += 1
                // Kept only until the direct map's base is learned: noteObject reads it until then.
                if type != .movable && directMap.base == nil { recentKernelPage[d.cpu] = (pfn, d.a) }
            } catch {
                tally.placement.pagesNotManaged += 1
            }
        case .mmPageFree:
            let compacting = d.compacting
            let released = compacting && compaction.release(pfn)
            switch machine.releaseBlock(at: PageFrameNumber(pfn), order: Order(d.a), cpu: d.cpu) {
            case .freed, .toPerCPU:
                appliedCounts[Applied.pageFree.rawValue] += 1
                // kcompactd freeing a page in use: a migration's source, whose target it took silently.
                if compacting && !released { compaction.isolateTarget(order: d.a, near: PageFrameNumber(pfn), on: &machine) }
            case .alreadyFree, .heldByMemtop:
                // kcompactd freeing a free page: an isolated page it did not use, never taken in memtop.
                if !compacting { freeOfFreePages(order: d.a, pfn: PageFrameNumber(pfn), cpu: d.cpu, on: &machine) }
            case .notManaged:
                freeOfReservedFrames(PageFrameNumber(pfn), order: d.a, cpu: d.cpu, line: d.line, on: &machine)
            }
        default:
            break   // mm_page_free_batched repeats a page that has its own mm_page_free
        }
    }

    /// The trace frees frames memtop holds as reserved: its reconstruction put a boot reservation
    /// there, and the kernel was using the frames (silently: vmalloc's bulk pages, or from before
    /// tracing). What stood for them gives way as for ``freeOfFreePages(order:pfn:cpu:on:)``, and the
    /// reservation moves there.
    mutating func freeOfReservedFrames(_ pfn: PageFrameNumber, order: Int, cpu: Int, line: Int, on machine: inout Machine) {
        if absorbedPageFrees > 0 && order == 0,
           machine.freeMisplacedReservation(at: pfn, order: 0, standIn: .freeFrames, cpu: cpu) {
            absorbedPageFrees -= 1
            appliedCounts[Applied.pageFree.rawValue] += 1
            return
        }
        if hasReconstructedState, let block = machine.reconstructedBlock(order: Order(order), inZoneOf: pfn, from: PageFrameNumber(reconstructedHint)),
           machine.freeMisplacedReservation(at: pfn, order: Order(order), standIn: .reconstructedBlock(block), cpu: cpu) {
            reconstructedHint = block.rawValue
            tally.placement.reconstructedFreed += 1
            appliedCounts[Applied.pageFree.rawValue] += 1
            return
        }
        // No unknown block of that order, or a block only partly reserved: frame by frame, a
        // reserved one for a single unknown page, any other as the kernel freed it.
        if order > 0, hasReconstructedState {
            var freed = 0
            for k in 0..<(1 << order) {
                let frame = pfn.advanced(by: k)
                if machine.owner(of: frame) == .reserved {
                    guard let block = machine.reconstructedBlock(order: 0, inZoneOf: frame, from: PageFrameNumber(reconstructedHint)),
                          machine.freeMisplacedReservation(at: frame, order: 0, standIn: .reconstructedBlock(block), cpu: cpu)
                    else { break }
                    reconstructedHint = block.rawValue
                } else if machine.releaseBlock(at: frame, order: 0, cpu: cpu) == .notManaged {
                    break
                }
                freed += 1
            }
            if freed == 1 << order {
                tally.placement.reconstructedFreed += 1
                appliedCounts[Applied.pageFree.rawValue] += 1
                return
            }
        }
        // A bare trace: memtop's machine booted as the kernel did, so this is boot memory set free.
        if !hasReconstructedState, machine.freeReservedFrames(at: pfn, order: Order(order), cpu: cpu) {
            tally.placement.reservedFreed += 1
            appliedCounts[Applied.pageFree.rawValue] += 1
            return
        }
        simulationFailed(line, "page free of frames memtop holds as reserved (pfn \(pfn.rawValue), order \(order))")
    }

    /// The trace frees frames memtop holds as free: pages of a vmalloc area memtop freed at its own
    /// frames (the kernel's were elsewhere), or memory allocated before tracing that memtop's
    /// reconstruction put elsewhere: then a reconstructed block of that order is what gets freed.
    mutating func freeOfFreePages(order: Int, pfn: PageFrameNumber, cpu: Int, on machine: inout Machine) {
        if absorbedPageFrees > 0 && order == 0 {
            absorbedPageFrees -= 1
            return
        }
        // A migration target the kernel took where memtop did not: memtop's stand-in goes.
        if compaction.freeStandIn(order: order, zoneOf: pfn, cpu: cpu, on: &machine) { return }
        if hasReconstructedState, let pfn = machine.reconstructedBlock(order: Order(order), from: PageFrameNumber(reconstructedHint)) {
            reconstructedHint = pfn.rawValue
            machine.releaseBlock(at: pfn, order: Order(order), cpu: nil)
            tally.placement.reconstructedFreed += 1
        } else {
            tally.placement.freesOfFreePages += 1
        }
    }
}
