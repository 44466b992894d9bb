/// What an exercise is about: one of the four kinds `memtop quiz` generates.
public enum QuizTopic: String, CaseIterable, Hashable, Sendable {
    /// kmalloc's size classes and the bytes a request wastes inside its slot.
    case sizeClasses = "size-classes"
    /// The buddy allocator splitting and merging blocks of a small zone.
    case buddy
    /// A slab cache's occupancy: active objects, slabs, and when an empty slab goes back.
    case slabs
    /// External fragmentation: the extfrag and unusable indices, and where an unmovable page lands.
    case fragmentation

    /// The topic names, in the order a quiz without a topic uses them.
    public static var names: [String] { allCases.map(\.rawValue) }

    /// A one-line summary, for `--help` and the quiz header.
    public var summary: String {
        switch self {
        case .sizeClasses: "which kmalloc cache serves a request, and the bytes wasted in its slot"
        case .buddy: "which blocks are free after a sequence of alloc_pages and free_pages"
        case .slabs: "active objects, slabs, and when an empty slab is given back"
        case .fragmentation: "extfrag_index, unusable_index, and where an unmovable page is taken from"
        }
    }
}
