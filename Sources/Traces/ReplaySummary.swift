/// What a replay did, for the summary.
public struct ReplaySummary: Sendable {
    /// Lines read.
    public var lines = 0
    /// Events seen, by name.
    public var events: [String: Int] = [:]
    /// Events of names memtop does not replay (skipped, counted).
    public var unknownEvents: [String: Int] = [:]
    /// Malformed lines of known events (skipped unless --strict).
    public var malformed: [TraceInputError] = []
    /// Events the ring buffer dropped (`[LOST N EVENTS]`), saturating at `Int.max`.
    public var lostEvents = 0
    /// Frees of objects allocated before tracing began.
    public var freesOfUnknown = 0
    /// Objects allocated, by the simulation, as replayed.
    public var applied: [String: Int] = [:]
    /// Allocations the simulation could not satisfy.
    public var simulationFailures = 0
    /// Violations the replay triggered (a trace that frees twice).
    public var violations = 0
}

/// The operations a replay applies, counted for the summary.
enum Applied: Int, CaseIterable {
    case kmalloc, kmemCacheAlloc, kfree, kmemCacheFree, outsidePages, vmalloc, vfree

    /// The summary's name.
    var name: String {
        switch self {
        case .kmalloc: "kmalloc"
        case .kmemCacheAlloc: "kmem_cache_alloc"
        case .kfree: "kfree"
        case .kmemCacheFree: "kmem_cache_free"
        case .outsidePages: "outside pages"
        case .vmalloc: "vmalloc"
        case .vfree: "vfree"
        }
    }
}
