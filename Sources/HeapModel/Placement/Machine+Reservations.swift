/// Boot reservations that memtop placed by its own reckoning, corrected by what the trace shows.
///
/// A capture says how many frames of each zone are reserved (present minus managed), not where
/// they lie (the kernel image moves with KASLR, memblock allocations wherever memblock found room).
/// When the trace frees frames memtop holds as reserved, the kernel was using them: they were
/// managed memory, allocated silently (vmalloc's bulk pages) or before tracing began.
extension Machine {
    /// What stood for frames the kernel freed while memtop held them as reserved.
    public enum ReservationStandIn: Hashable, Sendable {
        /// memtop's own frames, already free (it freed its own stand-ins, such as its vmalloc pages).
        case freeFrames
        /// A block of unknown used memory of the same order, reconstructed from the capture's counts.
        case reconstructedBlock(PageFrameNumber)
    }

    /// Frees block `pfn` of 2^`order` frames that memtop held as reserved, as the trace says the
    /// kernel freed it; the reservation moves to the stand-in, so the zone's reserved and managed
    /// counts stay those of the capture.
    /// - Returns: false (and nothing changes) when reservations were not reconstructed, a frame
    ///   of the block is not reserved, or the stand-in is not there.
    public mutating func freeMisplacedReservation(at pfn: PageFrameNumber, order blockOrder: Order, standIn: ReservationStandIn,
                                                  cpu: Int?) -> Bool {
        let start = pfn.rawValue, order = blockOrder.rawValue, count = 1 << order
        guard reservationsAreReconstructed, let z = reservedBlockZone(start, order: order) else { return false }
        switch standIn {
        case .freeFrames:
            guard zones[z].freePages >= count else { return false }
            // Every stand-in first: the free pages may sit where the search does not look
            // (highatomic lists, past its bound), and a partial move would break the zone's counts.
            var taken: [Int] = []
            for _ in 0..<count {
                guard let other = takeAnyBlock(order: 0, type: .unmovable, avoiding: start..<(start + count), zone: z) else {
                    for p in taken { freeBlock(p, order: 0, zone: z, toTail: false, recordEvents: false) }
                    return false
                }
                taken.append(other)
            }
            for other in taken { reserve(other) }
        case .reconstructedBlock(let block):
            let r = block.rawValue
            guard r >= 0, r <= endPFN - count, zoneIndex(of: r) == z, frames[r].placement == .reconstructed, frames[r].owner == .pages,
                  Int(frames[r].order) == order else { return false }
            for k in 0..<count { reserve(r + k) }
        }
        return releaseAsTraced(start, order: order, cpu: cpu)
    }

    /// `free_reserved_page()` for each frame of block `pfn` of 2^`order`: boot memory (the kernel's
    /// init sections, an initrd, memblock allocations) given to the buddy allocator, whose zone
    /// then manages it. For a trace that starts at boot, where nothing but reservations can be
    /// freed without having been allocated.
    /// - Returns: false (and nothing changes) unless every frame is reserved, above the first
    ///   megabyte, in one populated zone.
    public mutating func freeReservedFrames(at pfn: PageFrameNumber, order blockOrder: Order, cpu: Int?) -> Bool {
        let order = blockOrder.rawValue
        guard let z = reservedBlockZone(pfn.rawValue, order: order) else { return false }
        zones[z].managedPages += 1 << order
        return releaseAsTraced(pfn.rawValue, order: order, cpu: cpu)
    }

    /// The zone of block `start` of 2^`order` frames when every frame is reserved, above the first
    /// megabyte, inside one populated zone.
    private func reservedBlockZone(_ start: Int, order: Int) -> Int? {
        let count = 1 << order
        guard order >= 0, order <= Page.maxOrder, start >= 0x100, start <= endPFN - count else { return nil }
        let z = zoneIndex(of: start)
        guard zones[z].isPopulated, start + count <= zones[z].endPFN.rawValue,
              (start..<(start + count)).allSatisfy({ frames[$0].owner == .reserved }) else { return nil }
        return z
    }

    /// Makes the frames of block `start` a used block the trace placed, and frees it as the trace
    /// says the kernel did.
    private mutating func releaseAsTraced(_ start: Int, order: Int, cpu: Int?) -> Bool {
        frames.updateEach(in: start..<(start + (1 << order))) {
            $0.owner = .pages
            $0.placement = .observed
            $0.order = -1
        }
        frames[start].order = Int8(order)
        return releaseBlock(at: PageFrameNumber(start), order: Order(order), cpu: cpu) != .notManaged
    }

    /// A block of unknown used memory of `order` in the zone of `pfn`, the first at or after `hint`
    /// when the hint is in that zone (a stand-in must keep each zone's managed count).
    public func reconstructedBlock(order: Order, inZoneOf pfn: PageFrameNumber, from hint: PageFrameNumber) -> PageFrameNumber? {
        guard pfn.rawValue >= 0, pfn.rawValue < endPFN else { return nil }
        let zone = zones[zoneIndex(of: pfn.rawValue)]
        let start = (zone.startPFN..<zone.endPFN).contains(hint) ? hint : zone.startPFN
        // From the hint to the zone's end, then from the zone's start up to the hint: the zone only,
        // where a scan to the machine's end walked the zones above as well.
        if let block = reconstructedBlock(order: order, from: start, before: zone.endPFN.rawValue) { return block }
        return start == zone.startPFN ? nil : reconstructedBlock(order: order, from: zone.startPFN, before: start.rawValue)
    }

    /// Makes frame `pfn` a boot reservation placed by memtop's reckoning.
    private mutating func reserve(_ pfn: Int) {
        frames[pfn].owner = .reserved
        frames[pfn].order = -1
        frames[pfn].placement = .reconstructed
    }
}
