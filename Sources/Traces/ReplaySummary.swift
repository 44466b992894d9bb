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
    /// Frees of objects allocated while tracing by a path with no tracepoint: a free slot of a
    /// slab the trace itself placed. `kmem_cache_alloc_bulk()` traces nothing (6.1 and 6.12
    /// mm/slub.c), and the maple tree allocates its nodes in bulk and frees them one by one.
    public var freesOfUntracedAllocations = 0
    /// Objects allocated, by the simulation, as replayed.
    public var applied: [String: Int] = [:]
    /// Events the simulation could not apply (an allocation it could not satisfy, a free of frames it
    /// does not manage); with the check on, each is also a mismatch.
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
