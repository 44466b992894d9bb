/// slabtop's sort orders and their keys.
public enum SlabSort: Character, CaseIterable, Hashable, Sendable {
    /// `a`: active objects.
    case activeObjects = "a"
    /// `b`: objects per slab.
    case objectsPerSlab = "b"
    /// `c`: cache size.
    case cacheSize = "c"
    /// `l`: number of slabs.
    case slabs = "l"
    /// `v`: active slabs.
    case activeSlabs = "v"
    /// `n`: name.
    case name = "n"
    /// `o`: number of objects (slabtop's default).
    case objects = "o"
    /// `p`: pages per slab.
    case pagesPerSlab = "p"
    /// `s`: object size.
    case objectSize = "s"
    /// `u`: cache utilization.
    case utilization = "u"

    /// The column heading it sorts by.
    public var label: String {
        switch self {
        case .activeObjects: return "ACTIVE"
        case .objectsPerSlab: return "OBJ/SLAB"
        case .cacheSize: return "CACHE SIZE"
        case .slabs, .activeSlabs: return "SLABS"
        case .name: return "NAME"
        case .objects: return "OBJS"
        case .pagesPerSlab: return "PAGES"
        case .objectSize: return "OBJ SIZE"
        case .utilization: return "USE"
        }
    }
}
