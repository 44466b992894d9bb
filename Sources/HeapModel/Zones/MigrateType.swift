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
