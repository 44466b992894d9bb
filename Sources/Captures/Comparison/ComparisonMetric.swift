/// What one row of a ``StateComparison`` measures.
public enum ComparisonMetric: Hashable, Sendable {
    /// A zone's free pages from buddyinfo: the sum of count × 2^order.
    case freePages(node: Int, zone: String)
    /// A zone's free pages in blocks of order ≥ ``StateComparison/highOrder`` (3), from buddyinfo.
    case highOrderFreePages(node: Int, zone: String)
    /// pagetypeinfo's free blocks of one zone, migratetype and order.
    case freeBlocks(node: Int, zone: String, migrateType: String, order: Int)
    /// All slab pages: the sum over slabinfo of `num_slabs × pagesperslab`.
    case slabPages
    /// One cache's `active_objs`, under the real file's name.
    case cacheActiveObjects(cache: String)
    /// One cache's `num_objs`.
    case cacheObjects(cache: String)
    /// One cache's `num_slabs`.
    case cacheSlabs(cache: String)
    /// Pages on a zone's per-CPU lists, summed over its CPUs (`pcp.tsv`'s `count`): free to the
    /// CPUs, not in buddyinfo.
    case perCPUPages(node: Int, zone: String)
    /// vmallocinfo areas that print `pages=`.
    case vmallocAreasWithPages
    /// The sum of vmallocinfo's `pages=`.
    case vmallocPages

    /// The row's label in the text table, e.g. `free pages DMA32`, `slab kmalloc-64 active_objs`.
    public var name: String {
        switch self {
        case .freePages(let node, let zone): return "free pages " + Self.zoneLabel(node, zone)
        case .highOrderFreePages(let node, let zone):
            return "free pages order>=\(StateComparison.highOrder) " + Self.zoneLabel(node, zone)
        case .freeBlocks(let node, let zone, let type, let order):
            return "free blocks " + Self.zoneLabel(node, zone) + " \(type) order \(order)"
        case .slabPages: return "slab pages"
        case .cacheActiveObjects(let cache): return "slab \(cache) active_objs"
        case .cacheObjects(let cache): return "slab \(cache) num_objs"
        case .cacheSlabs(let cache): return "slab \(cache) num_slabs"
        case .perCPUPages(let node, let zone): return "per-CPU list pages " + Self.zoneLabel(node, zone)
        case .vmallocAreasWithPages: return "vmalloc areas with pages="
        case .vmallocPages: return "vmalloc pages"
        }
    }

    /// The case's name, for the JSON rendering (`freePages`, `cacheActiveObjects`, ...).
    public var kind: String {
        switch self {
        case .freePages: return "freePages"
        case .highOrderFreePages: return "highOrderFreePages"
        case .freeBlocks: return "freeBlocks"
        case .slabPages: return "slabPages"
        case .cacheActiveObjects: return "cacheActiveObjects"
        case .cacheObjects: return "cacheObjects"
        case .cacheSlabs: return "cacheSlabs"
        case .perCPUPages: return "perCPUPages"
        case .vmallocAreasWithPages: return "vmallocAreasWithPages"
        case .vmallocPages: return "vmallocPages"
        }
    }

    /// `DMA32` on node 0, `node 1 DMA32` elsewhere.
    static func zoneLabel(_ node: Int, _ zone: String) -> String { node == 0 ? zone : "node \(node) \(zone)" }
}
