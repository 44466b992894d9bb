/// One memory zone of the simulated node: its span, sizes, watermarks and free-page count.
///
/// # Invariants
/// - `startPFN + spannedPages` is the end of the span; every present page lies inside it.
/// - `freePages` equals the sum over orders of `nrFree[order] << order`.
/// - `managedPages <= presentPages <= spannedPages`.
public struct Zone: Hashable, Sendable {
    /// Which zone this is.
    public let kind: ZoneKind
    /// The first frame of the span (`zone_start_pfn`).
    public let startPFN: PageFrameNumber
    /// Frames from start to end, holes included (`spanned`).
    public let spannedPages: Int
    /// Frames backed by RAM (`present`).
    public let presentPages: Int
    /// Frames the buddy allocator owns: present minus boot reservations (`managed`).
    public internal(set) var managedPages: Int
    /// The watermarks, fixed at boot as the kernel computes them.
    public let watermarks: Watermarks
    /// `lowmem_reserve[]` storage: inline so that the hot path never touches a reference count.
    let reserves: InlineArray<3, Int>
    /// Free pages on the zone's buddy lists (`NR_FREE_PAGES`).
    public internal(set) var freePages: Int
    /// Free blocks per order, inline for the same reason as `reserves`.
    var freeBlocks: InlineArray<11, Int>
    /// Where `freePages` stood against the watermarks after the last operation.
    public internal(set) var level: WatermarkLevel

    init(kind: ZoneKind, startPFN: PageFrameNumber, spannedPages: Int, presentPages: Int, managedPages: Int,
         watermarks: Watermarks, lowmemReserve: [Int]) {
        self.kind = kind
        self.startPFN = startPFN
        self.spannedPages = spannedPages
        self.presentPages = presentPages
        self.managedPages = managedPages
        self.watermarks = watermarks
        self.reserves = InlineArray { lowmemReserve[$0] }
        self.freePages = 0
        self.freeBlocks = InlineArray(repeating: 0)
        self.level = .belowMin
    }

    /// Counts `blocks` free blocks of `order` more (fewer when negative) on the zone's lists: one
    /// write of the zone for both counters.
    @inline(__always) mutating func addFreeBlocks(_ blocks: Int, order: Int) {
        freeBlocks[order] &+= blocks
        freePages &+= blocks << order
    }

    /// `lowmem_reserve[]`, indexed by the highest zone a request may use (zoneinfo's `protection:`).
    public var lowmemReserve: [Int] { (0..<3).map { reserves[$0] } }

    /// Free blocks per order, all migratetypes together (buddyinfo's columns).
    public var nrFree: [Int] { (0..<Page.orderCount).map { freeBlocks[$0] } }

    /// The frame one past the end of the span.
    public var endPFN: PageFrameNumber { startPFN.advanced(by: spannedPages) }

    /// The frames of the span, holes included: `startPFN..<endPFN`.
    public var span: Range<PageFrameNumber> { startPFN..<endPFN }

    /// True when the zone has pages (the kernel's `populated_zone()`).
    public var isPopulated: Bool { presentPages > 0 }

    /// The level `free` pages stand at against this zone's watermarks.
    public func level(forFreePages free: Int) -> WatermarkLevel {
        if free <= watermarks.min { return .belowMin }
        if free <= watermarks.low { return .belowLow }
        if free <= watermarks.high { return .belowHigh }
        return .aboveHigh
    }

    /// Zones are equal when every field is.
    public static func == (a: Zone, b: Zone) -> Bool {
        a.kind == b.kind && a.startPFN == b.startPFN && a.spannedPages == b.spannedPages
            && a.presentPages == b.presentPages && a.managedPages == b.managedPages && a.watermarks == b.watermarks
            && a.lowmemReserve == b.lowmemReserve && a.freePages == b.freePages && a.nrFree == b.nrFree && a.level == b.level
    }

    /// Hashes the identity and the free counts.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(freePages)
        hasher.combine(nrFree)
    }
}
