import HeapModel

/// The slab panel's rows for one frame, sorted once: every cache as slabtop sorts it, or every
/// call site when the panel lists them (`w`). Built by the statistics step (``FrameStatistics``);
/// the session keeps the last frame's, so that a key's row count, a search jump and `G` read the
/// rows drawn instead of sorting the machine's caches again.
///
/// The search and the filter are applied when asked (``shownCaches(for:)``), since a key may
/// change them between two frames while the machine and the sort stay as they were.
public struct SlabPanelRows: Sendable {
    /// The sort the rows are in.
    public let sort: SlabSort
    /// Whether these are call-site rows (the panel's `w` mode) rather than cache rows.
    public let listsCallSites: Bool
    /// Every cache, sorted by ``sort`` (empty when ``listsCallSites``).
    public let caches: [SlabRow]
    /// Every call site that holds or has allocated something, sorted by ``sort`` (empty unless
    /// ``listsCallSites``).
    public let callSites: [CallSiteRow]

    /// The rows `state` asks for (its sort and its mode) of `machine`, whose call sites have
    /// allocated `report`'s totals so far.
    /// - Complexity: O(caches log caches), or, listing call sites, O(live objects + sites log sites).
    public init(_ machine: Machine, report: AllocationReport, state: ViewState) {
        sort = state.slabSort
        listsCallSites = state.showCallSites
        caches = listsCallSites ? [] : SlabRow.rows(of: machine, sort: sort)
        callSites = listsCallSites ? CallSiteRow.rows(of: machine, cumulative: report.sites, sort: sort) : []
    }

    /// Whether these rows are the ones `state` would show (same sort and mode), whatever its search.
    public func fit(_ state: ViewState) -> Bool { sort == state.slabSort && listsCallSites == state.showCallSites }

    /// The cache rows as `state` shows them: only the matches when it filters to its search.
    public func shownCaches(for state: ViewState) -> [SlabRow] {
        Self.filtering(state) ? caches.filter { $0.matches(state.search) } : caches
    }

    /// The call-site rows as `state` shows them: only the matches when it filters to its search.
    public func shownCallSites(for state: ViewState) -> [CallSiteRow] {
        Self.filtering(state) ? callSites.filter { $0.matches(state.search) } : callSites
    }

    /// How many rows the table has for `state`.
    public func count(for state: ViewState) -> Int {
        listsCallSites ? shownCallSites(for: state).count : shownCaches(for: state).count
    }

    /// Which of the rows `state` shows match its search, in table order.
    public func matches(for state: ViewState) -> [Bool] {
        listsCallSites ? shownCallSites(for: state).map { $0.matches(state.search) }
            : shownCaches(for: state).map { $0.matches(state.search) }
    }

    /// The machine's index of the cache on the selected row of `state`, if a cache row is
    /// selected (the most recently created cache of that name, as slabinfo lists it first).
    public func selectedCache(in machine: Machine, state: ViewState) -> Int? {
        guard !listsCallSites else { return nil }
        let rows = shownCaches(for: state)
        guard rows.indices.contains(state.slabTable.selected) else { return nil }
        return machine.slabCaches.lastIndex { $0.name == rows[state.slabTable.selected].name }
    }

    private static func filtering(_ state: ViewState) -> Bool { state.filterToSearch && !state.search.isEmpty }
}
