/// A move in time a key asks for; it travels to the run loop in the key's ``Reaction``.
public enum Seek: Hashable, Sendable {
    /// Back one event.
    case back
    /// To the first event.
    case start
    /// To the last event.
    case end
    /// To event N.
    case to(Int)
    /// To the next (or previous) bookmark, violation or narration line.
    case nextMark, previousMark
    /// To the next (or previous) event of a kind.
    case next(MarkKind), previous(MarkKind)
    /// To the step at which the selected cache grew most.
    case cacheGrowth

    /// Events the jump keys visit.
    public enum MarkKind: Hashable, Sendable, CaseIterable {
        /// A migratetype fallback (`mm_page_alloc_extfrag`): `f` and `F`.
        case fallback
        /// An allocation that failed: `x` and `X`.
        case failure
        /// Events the ring buffer lost: `L`.
        case lost
    }
}
