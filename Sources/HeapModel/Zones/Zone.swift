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
    public let startPFN: Int
    /// Frames from start to end, holes included (`spanned`).
    public let spannedPages: Int
    /// Frames backed by RAM (`present`).
    public let presentPages: Int
    /// Frames the buddy allocator owns: present minus boot reservations (`managed`).
    public let managedPages: Int
    /// The watermarks, fixed at boot as the kernel computes them.
    public let watermarks: Watermarks
    /// `lowmem_reserve[]`, indexed by the highest zone a request may use (zoneinfo's `protection:`).
    public let lowmemReserve: [Int]
    /// Free pages on the zone's buddy lists (`NR_FREE_PAGES`).
    public internal(set) var freePages: Int
    /// Free blocks per order, all migratetypes together (buddyinfo's columns).
    public internal(set) var nrFree: [Int]
    /// Where `freePages` stood against the watermarks after the last operation.
    public internal(set) var level: WatermarkLevel

    /// The frame one past the end of the span.
    public var endPFN: Int { startPFN + spannedPages }

    /// True when the zone has pages (the kernel's `populated_zone()`).
    public var isPopulated: Bool { presentPages > 0 }

    /// The level `free` pages stand at against this zone's watermarks.
    public func level(forFreePages free: Int) -> WatermarkLevel {
        if free <= watermarks.min { return .belowMin }
        if free <= watermarks.low { return .belowLow }
        if free <= watermarks.high { return .belowHigh }
        return .aboveHigh
    }
}
