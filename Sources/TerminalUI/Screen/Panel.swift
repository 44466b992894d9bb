/// The panels, in Tab order.
public enum Panel: Int, CaseIterable, Hashable, Sendable {
    /// The physical page map.
    case pageMap
    /// slabtop's table.
    case slabs
    /// Free blocks and fragmentation indices.
    case fragmentation
    /// The vmalloc range.
    case vmalloc
    /// The event log.
    case log

    /// The panel title.
    public var title: String {
        switch self {
        case .pageMap: return "Page map"
        case .slabs: return "Slabs"
        case .fragmentation: return "Fragmentation"
        case .vmalloc: return "Vmalloc"
        case .log: return "Events"
        }
    }
}
