import HeapModel

/// The step (a trace's line, a workload's operation) whose event last gave each frame's block to
/// its owner: what the inspector names as the line that put a page there. Kept by the viewer from
/// the machine's page events, in chunks, so that time travel's snapshots share what did not change.
///
/// # Invariants
/// - `steps[pfn]` is 0 for a frame no event has allocated since it was last freed.
public struct PlacementSteps: Sendable {
    private var steps: ChunkedArray<UInt32>

    /// A table for a machine of `frames` frames, all unplaced (one shared zero chunk until written).
    public init(frames: Int) { steps = ChunkedArray(repeating: 0, count: frames) }

    /// Notes what `kind` did at `step`: an allocated block takes the step, a freed one loses it.
    public mutating func note(_ kind: HeapEvent.Kind, step: Int) {
        switch kind {
        case .pagesAllocated(let pfn, let order, _, _, _), .slabCreated(_, let pfn, let order, _):
            set(pfn.rawValue, order: order.rawValue, to: UInt32(clamping: step))
        case .pagesFreed(let pfn, let order, _):
            set(pfn.rawValue, order: order.rawValue, to: 0)
        default:
            return
        }
    }

    private mutating func set(_ start: Int, order: Int, to value: UInt32) {
        guard order >= 0, order <= Page.maxOrder, start >= 0 else { return }
        for pfn in start..<min(start + (1 << order), steps.count) { steps[pfn] = value }
    }

    /// The step that placed frame `pfn`'s block, if an event did.
    public func step(of pfn: Int) -> Int? {
        guard pfn >= 0, pfn < steps.count, steps[pfn] > 0 else { return nil }
        return Int(steps[pfn])
    }

    /// Counts the table's chunks in `census`.
    public func count(in census: inout StorageCensus) { steps.count(in: &census) }
}
