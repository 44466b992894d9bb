/// The x86_64 memory zones memtop models, lowest first.
public enum ZoneKind: Int, CaseIterable, Comparable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// ZONE_DMA: the first 16 MiB, for ISA-era devices.
    case dma = 0
    /// ZONE_DMA32: 16 MiB to 4 GiB, for 32-bit devices.
    case dma32 = 1
    /// ZONE_NORMAL: everything above 4 GiB.
    case normal = 2

    /// The name as /proc prints it (`DMA`, `DMA32`, `Normal`).
    public var description: String {
        switch self {
        case .dma: return "DMA"
        case .dma32: return "DMA32"
        case .normal: return "Normal"
        }
    }

    /// Orders zones from low to high memory.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `sysctl_lowmem_reserve_ratio` default for this zone: 256 for DMA and DMA32, 32 for Normal.
    public var lowmemReserveRatio: Int { self == .normal ? 32 : 256 }
}

/// The free-list type of a page block, `enum migratetype`.
public enum MigrateType: Int, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// MIGRATE_UNMOVABLE: ordinary kernel allocations.
    case unmovable = 0
    /// MIGRATE_MOVABLE: page cache and anonymous memory.
    case movable = 1
    /// MIGRATE_RECLAIMABLE: slab caches a shrinker can free.
    case reclaimable = 2
    /// MIGRATE_HIGHATOMIC: a reserve for high-order atomic requests (not filled by memtop yet).
    case highAtomic = 3
    /// MIGRATE_ISOLATE: blocks being offlined or compacted (never used by memtop).
    case isolate = 4

    /// The name as `/proc/pagetypeinfo` prints it.
    public var description: String {
        switch self {
        case .unmovable: return "Unmovable"
        case .movable: return "Movable"
        case .reclaimable: return "Reclaimable"
        case .highAtomic: return "HighAtomic"
        case .isolate: return "Isolate"
        }
    }

    /// `fallbacks[]` in `mm/page_alloc.c`: where to steal from when this type's lists are empty.
    public var fallbacks: [MigrateType] {
        switch self {
        case .unmovable: return [.reclaimable, .movable]
        case .movable: return [.reclaimable, .unmovable]
        case .reclaimable: return [.unmovable, .movable]
        case .highAtomic, .isolate: return []
        }
    }
}

/// A zone's watermarks in pages, as `/proc/zoneinfo` prints them.
public struct Watermarks: Hashable, Sendable, Codable {
    /// Below this only `__GFP_HIGH`/atomic requests (and reclaim itself) may allocate.
    public var min: Int
    /// Below this kswapd is woken.
    public var low: Int
    /// kswapd reclaims until free pages are above this.
    public var high: Int
    /// Memory-tiering promotion mark (6.1+); memtop only reports it.
    public var promo: Int

    /// Watermarks as zoneinfo shows them.
    public init(min: Int, low: Int, high: Int, promo: Int) {
        self.min = min
        self.low = low
        self.high = high
        self.promo = promo
    }
}

/// Where a zone's free-page count stands against its watermarks.
public enum WatermarkLevel: Int, Comparable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// At or below `min`.
    case belowMin = 0
    /// Above `min`, at or below `low`.
    case belowLow = 1
    /// Above `low`, at or below `high`.
    case belowHigh = 2
    /// Above `high`.
    case aboveHigh = 3

    /// Orders levels from emptiest to fullest.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// A short name for event logs: `min`, `low`, `high`, `ok`.
    public var description: String {
        switch self {
        case .belowMin: return "below_min"
        case .belowLow: return "below_low"
        case .belowHigh: return "below_high"
        case .aboveHigh: return "above_high"
        }
    }
}
