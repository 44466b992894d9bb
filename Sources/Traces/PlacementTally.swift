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
