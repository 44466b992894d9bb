/// slabtop's sort orders and their keys.
public enum SlabSort: Character, CaseIterable, Hashable, Sendable {
    /// `a`: active objects.
    case activeObjects = "a"
    /// `b`: objects per slab.
    case objectsPerSlab = "b"
    /// `c`: cache size.
    case cacheSize = "c"
    /// `l`: number of slabs.
    case slabs = "l"
    /// `v`: active slabs.
    case activeSlabs = "v"
    /// `n`: name.
    case name = "n"
    /// `o`: number of objects (slabtop's default).
    case objects = "o"
    /// `p`: pages per slab.
    case pagesPerSlab = "p"
    /// `s`: object size.
    case objectSize = "s"
    /// `u`: cache utilization.
    case utilization = "u"

    /// The column heading it sorts by.
    public var label: String {
        switch self {
        case .activeObjects: return "ACTIVE"
        case .objectsPerSlab: return "OBJ/SLAB"
        case .cacheSize: return "CACHE SIZE"
        case .slabs, .activeSlabs: return "SLABS"
        case .name: return "NAME"
        case .objects: return "OBJS"
        case .pagesPerSlab: return "PAGES"
        case .objectSize: return "OBJ SIZE"
        case .utilization: return "USE"
        }
    }
}

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
