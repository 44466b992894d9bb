/// The panels, in Tab order.
public enum Panel: Int, CaseIterable, Hashable, Sendable {
    /// The physical page map.
    case pageMap
    /// slabtop's table.
    case slabs
    /// Free blocks and fragmentation indices.
    case fragmentation
    /// The vmalloc range.
    case vmalloc
    /// The event log.
    case log

    /// The panel title.
    public var title: String {
        switch self {
        case .pageMap: return "Page map"
        case .slabs: return "Slabs"
        case .fragmentation: return "Fragmentation"
        case .vmalloc: return "Vmalloc"
        case .log: return "Events"
        }
    }
}

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

/// UI-only state: focus, selection, zoom, scroll, overlays. The machine is never here.
public struct ViewState: Hashable, Sendable {
    /// The focused panel.
    public var focus: Panel = .pageMap
    /// Playing or paused.
    public var playing = true
    /// Index into ``ViewState/speeds``.
    public var speedIndex = 4
    /// Page-map cursor (a frame number).
    public var cursor = 0
    /// Page-map zoom: pages per half-block pixel; 0 means "fit the whole machine".
    public var pagesPerPixel = 0
    /// First frame shown by the page map.
    public var mapOffset = 0
    /// Slab table sort order.
    public var slabSort: SlabSort = .objects
    /// Selected slab row.
    public var slabRow = 0
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
    /// Where to move in time after a key: the run loop performs it and clears it.
    public var seek: Seek?
    /// Digits typed after `g`, while entering an event number.
    public var gotoEntry: String?
    /// Text typed after `/`, while entering a search (htop's incremental search).
    public var searchEntry: String?
    /// The search in effect: cache names containing it (case-insensitive) match; empty for none.
    public var search = ""
    /// `\`: the slab table shows only the rows that match the search.
    public var filterToSearch = false
    /// A move of the slab selection to a match, for the run loop to perform (it knows the rows).
    public var searchJump: SearchJump?

    /// Where a search moves the selection.
    public enum SearchJump: Hashable, Sendable {
        /// To the first match at or after the selected row (typing).
        case fromHere
        /// To the next match after it, wrapping (F3).
        case next
    }

    /// A move in time.
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
    }

    /// Events the jump keys visit.
    public enum MarkKind: Hashable, Sendable, CaseIterable {
        /// A migratetype fallback (`mm_page_alloc_extfrag`): `f` and `F`.
        case fallback
        /// An allocation that failed: `x` and `X`.
        case failure
        /// Events the ring buffer lost: `L`.
        case lost
    }

    /// The last layout, for mouse hit-testing (set by the renderer).
    public var layout: ScreenLayout?

    /// Operations per second at each speed step.
    public static let speeds = [1, 10, 100, 1_000, 5_000, 20_000, 100_000, 1_000_000]

    /// Operations per second now.
    public var speed: Int { ViewState.speeds[min(max(speedIndex, 0), ViewState.speeds.count - 1)] }

    /// A default view.
    public init() {}
}
