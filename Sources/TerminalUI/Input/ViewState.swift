/// UI-only state: focus, selection, zoom, scroll, overlays. The machine is never here, and
/// neither is geometry: the layout is computed from the terminal size each frame, and the
/// stateful widgets (``PageMapWidget``, ``SlabTableWidget``, ``CallSiteTableWidget``) keep their
/// scroll in the per-panel states held here.
public struct ViewState: Hashable, Sendable {
    /// The focused panel.
    public var focus: Panel = .pageMap
    /// Playing or paused.
    public var playing = true
    /// Index into ``ViewState/speeds``.
    public var speedIndex = 4
    /// The page map's cursor, zoom and scroll.
    public var pageMap = PageMapState()
    /// Slab table sort order.
    public var slabSort: SlabSort = .objects
    /// The slab panel's selected row and scroll (caches or call sites: `w` starts it over).
    public var slabTable = TableState()
    /// The vmalloc area selected in the vmalloc panel (index into the areas, by address).
    public var vmallocRow = 0
    /// `w`: the slab panel lists call sites instead of caches.
    public var showCallSites = false
    /// The zone the fragmentation panel details (index into the populated zones, from the top).
    public var zoneChoice = 0
    /// Event log lines scrolled back from the newest.
    public var logScroll = 0
    /// Narration lines scrolled back from the newest in the narration pane (`{` and `}`).
    public var narrationBack = 0
    /// The narration pane is hidden (Esc) until the next narration line.
    public var narrationHidden = false
    /// The help overlay is shown.
    public var showHelp = false
    /// The hexdump inspector is shown.
    public var showInspector = false
    /// Digits typed after `g`, while entering an event number.
    public var gotoEntry: String?
    /// Text typed after `/`, while entering a search (htop's incremental search).
    public var searchEntry: String?
    /// The search in effect: cache names containing it (case-insensitive) match; empty for none.
    public var search = ""
    /// `\`: the slab table shows only the rows that match the search.
    public var filterToSearch = false

    /// Operations per second at each speed step.
    public static let speeds = [1, 10, 100, 1_000, 5_000, 20_000, 100_000, 1_000_000]

    /// Operations per second now.
    public var speed: Int { ViewState.speeds[min(max(speedIndex, 0), ViewState.speeds.count - 1)] }

    /// A default view.
    public init() {}
}
