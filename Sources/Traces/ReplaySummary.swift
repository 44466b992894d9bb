/// What a replay did, for the summary.
public struct ReplaySummary: Sendable {
    /// Lines read.
    public var lines = 0
    /// Events seen, by name.
    public var events: [String: Int] = [:]
    /// Events of names memtop does not replay (skipped, counted).
    public var unknownEvents: [String: Int] = [:]
    /// The first malformed lines of known events (skipped unless --strict), at most ``examples``.
    public var malformed: [TraceInputError] = []
    /// Every malformed line, counted.
    public var malformedCount = 0
    /// Examples kept of each kind of per-line problem, so that memory stays bounded on any input.
    public static let examples = 100
    /// Events the ring buffer dropped (`[LOST N EVENTS]`), saturating at `Int.max`.
    public var lostEvents = 0
    /// The first line that reported lost events: what the check finds after it may come from
    /// what was lost rather than from memtop.
    public var firstLostLine: Int?
    /// Frees of objects allocated before tracing began.
    public var freesOfUnknown = 0
    /// Objects allocated, by the simulation, as replayed.
    public var applied: [String: Int] = [:]
    /// Allocations the simulation could not satisfy.
    public var simulationFailures = 0
    /// Violations the replay triggered (a trace that frees twice).
    public var violations = 0
    /// What placing pages and objects where the trace put them took.
    public var placement = PlacementTally()
    /// Events whose call chain (`perf script -g`) named their call site.
    public var chainedEvents = 0
    /// Events whose chain named another site than their `call_site=` (which is then inside the
    /// allocator: vmalloc's page array, kvmalloc's kmalloc), by `CALL_SITE -> CHAIN_SITE` function
    /// names; at most 64 pairs, the rest under `(other)`.
    public var chainSitesDiffering: [String: Int] = [:]
}

/// What a replay that places pages and objects as the trace did had to do to keep the model
/// consistent with the trace.
public struct PlacementTally: Hashable, Sendable {
    /// Nothing done yet.
    public init() {}
    /// Blocks memtop had decided (or reconstructed) that moved out of the way of traced ones.
    public var relocated = 0
    /// Traced blocks and objects reused before the trace freed them (a lost free).
    public var lostFrees = 0
    /// Frees of frames memtop held as free (nothing to free).
    public var freesOfFreePages = 0
    /// Frees answered by freeing a block memtop had reconstructed elsewhere.
    public var reconstructedFreed = 0
    /// Frees of boot reservations (`free_reserved_page()`) in a trace without a start state.
    public var reservedFreed = 0
    /// Slabs claimed for objects whose slab page the trace never showed (allocated before tracing).
    public var claimedSlabs = 0
    /// Objects the kernel put in a slab of another cache than memtop's choice, same slot size.
    public var otherCache = 0
    /// Frees of objects allocated before tracing, found in (or moved with) a slab rebuilt from the capture.
    public var revivedObjects = 0
    /// Traced page allocations on frames memtop does not manage (reserved at boot, no RAM).
    public var pagesNotManaged = 0
    /// Traced objects that could not be placed (their page held by another cache the trace placed,
    /// or outside memory).
    public var objectsNotPlaced = 0
    /// Migration targets memtop took for kcompactd's migrations, and migrations it found no free
    /// block for (compaction's targets are never traced).
    public var compactionTargets = 0, compactionTargetsMissed = 0
}

/// The operations a replay applies, counted for the summary.
enum Applied: Int, CaseIterable {
    case kmalloc, kmemCacheAlloc, kfree, kmemCacheFree, outsidePages, vmalloc, vfree, kernelPages, pageFree

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
        case .kernelPages: "kernel pages"
        case .pageFree: "page frees"
        }
    }
}
