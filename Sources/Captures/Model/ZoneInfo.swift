/// One zone of `/proc/zoneinfo`: its size, free pages, watermarks, lowmem reserve and per-CPU
/// page lists.
///
/// The kernel prints every zone of every node, populated or not (`mm/vmstat.c` stops after the
/// protection line for a zone with no present pages). Such zones (on these x86 guests: Normal
/// below 4 GiB of RAM, Movable and Device) are kept, with ``isEmpty`` true, no counters, no
/// pagesets and no start pfn.
public struct ZoneInfo: Hashable, Sendable {
    /// The NUMA node.
    public var node: Int
    /// The zone's name as printed: `DMA`, `DMA32`, `Normal`, `Movable`, `Device`.
    public var name: String
    /// The first page frame of the zone; nil for empty zones, which do not print it.
    public var startPFN: Int?
    /// Pages between the zone's first and last frame, holes included.
    public var spanned: Int
    /// Pages that exist (spanned minus holes).
    public var present: Int
    /// Pages the buddy allocator manages (present minus boot-time reservations).
    public var managed: Int
    /// Free pages: the `nr_free_pages` counter, or the `pages free` header when the zone prints no
    /// counters (empty zones). Both print the same counter.
    public var freePages: Int
    /// The min, low and high watermarks (and boost, promo when printed).
    public var watermarks: ZoneWatermarks
    /// `protection:` — the lowmem reserve against allocations that could have used each higher
    /// zone, one entry per zone of the node.
    public var protection: [Int]
    /// The per-CPU page lists of the `pagesets` section, in the order printed.
    public var pagesets: [PCPList]
    /// The zone's vm counters (`nr_free_pages`, `nr_zone_active_anon`, `numa_hit`, ...) by name,
    /// plus any `name value` line of the header the parser does not model (e.g. `cma`).
    public var counters: [String: Int]
    /// The node's counters of the `per-node stats` section, printed with the node's first
    /// populated zone; empty for the other zones.
    public var nodeCounters: [String: Int]
    /// `node_unreclaimable`, when printed.
    public var nodeUnreclaimable: Int?

    /// A zone with all its fields.
    ///
    /// - Parameters:
    ///   - node: The NUMA node.
    ///   - name: The zone's printed name.
    ///   - startPFN: Its first frame, nil when not printed.
    ///   - spanned: Spanned pages.
    ///   - present: Present pages.
    ///   - managed: Managed pages.
    ///   - freePages: Free pages.
    ///   - watermarks: The watermarks.
    ///   - protection: The lowmem reserve entries.
    ///   - pagesets: The per-CPU lists.
    ///   - counters: The zone counters by name.
    ///   - nodeCounters: The per-node counters printed with this zone.
    ///   - nodeUnreclaimable: `node_unreclaimable`, when printed.
    public init(node: Int, name: String, startPFN: Int?, spanned: Int, present: Int, managed: Int, freePages: Int,
                watermarks: ZoneWatermarks, protection: [Int], pagesets: [PCPList] = [], counters: [String: Int] = [:],
                nodeCounters: [String: Int] = [:], nodeUnreclaimable: Int? = nil) {
        self.node = node
        self.name = name
        self.startPFN = startPFN
        self.spanned = spanned
        self.present = present
        self.managed = managed
        self.freePages = freePages
        self.watermarks = watermarks
        self.protection = protection
        self.pagesets = pagesets
        self.counters = counters
        self.nodeCounters = nodeCounters
        self.nodeUnreclaimable = nodeUnreclaimable
    }

    /// True when the zone has no present pages (it exists in the kernel's zone list only).
    public var isEmpty: Bool { present == 0 }
}
