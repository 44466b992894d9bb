import HeapModel

/// The values one frame draws, built once from the frame's ``FrameSnapshot`` for the view: the
/// statistics step between the machine and the widgets (house style §1, "sample, then draw").
///
/// ``init(_:state:layout:)`` is the only place a frame reads the machine: it sorts the slab rows
/// (or builds the call-site rows), picks the frames to highlight, samples the page map's pixels for
/// the viewport the map will show, cuts the selected cache's and zone's timelines out of the run's
/// samples, summarises the zones and the vmalloc range, and reads what the inspector shows. Every widget is then built from these
/// values and draws without walking the machine.
public struct FrameStatistics: Sendable {
    /// The status bar's facts.
    public var status: StatusInfo
    /// The machine's kernel, CPUs and RAM, for the status bar.
    public var configuration: MachineConfiguration
    /// The page map's pixels and the line under it.
    public var pageMap: PageMapStatistics
    /// The slab panel's rows, sorted once: every cache, or every call site when it lists them.
    public var rows: SlabPanelRows
    /// The slab table's rows as shown: sorted, and only the matches when filtering.
    public var slabRows: [SlabRow]
    /// The selected cache's objects and slabs over the run, when the slab panel has focus.
    public var cacheTimeline: CacheTimeline?
    /// The call-site table's rows as shown (when the slab panel lists call sites, else empty).
    public var callSites: [CallSiteRow]
    /// Frames the page map highlights: the selected vmalloc area's, or the selected call site's.
    public var highlight: Set<Int>
    /// The selected call site's call chain, when the table has focus and stacks were traced.
    public var callChain: [String]
    /// The populated zones, lowest first.
    public var zones: [Zone]
    /// The fragmentation panel's zone: its free blocks of each order over the run, `[order][sample]`.
    public var zoneTimeline: [[Int]]
    /// Fragmentation history: the unusable index (×1000) at order 3 of the largest zone.
    public var history: [Int]
    /// The vmalloc range.
    public var vmalloc: VmallocStatistics
    /// The latest log lines, oldest first.
    public var log: [LogLine]
    /// A lesson's narration so far, oldest first.
    public var narration: [NarrationCard]
    /// What the inspector shows of the frame under the cursor, when it is open.
    public var inspector: InspectorStatistics?

    /// The frame's values for `state` on `layout`, read from `snapshot`.
    /// - Complexity: O(frames shown by the page map + caches log caches + vmalloc areas), plus the
    ///   inspector's frame when it is open, and the live objects when the panel lists call sites.
    public init(_ snapshot: FrameSnapshot, state: ViewState, layout: ScreenLayout) {
        let machine = snapshot.machine
        status = snapshot.status
        configuration = machine.configuration
        let rows = SlabPanelRows(machine, report: snapshot.callSiteReport, state: state)
        self.rows = rows
        slabRows = rows.shownCaches(for: state)
        callSites = rows.shownCallSites(for: state)
        highlight = Self.highlight(machine, callSites: callSites, state: state)
        pageMap = PageMapStatistics(machine, state: state.pageMap, geometry: layout.map, highlight: highlight)
        cacheTimeline = snapshot.samples.flatMap { Self.cacheTimeline(machine, rows: rows, samples: $0, state: state) }
        callChain = []
        if state.showCallSites, state.focus == .slabs, !callSites.isEmpty, !machine.callStacks.isEmpty {
            let site = callSites[min(max(0, state.slabTable.selected), callSites.count - 1)].site
            callChain = machine.callChainLines(of: site, maxFrames: 12)
        }
        let zones = machine.populatedZones
        self.zones = zones
        zoneTimeline = snapshot.samples.map { Self.zoneTimeline(zones, samples: $0, state: state) } ?? []
        history = snapshot.history
        vmalloc = VmallocStatistics(machine, selected: state.focus == .vmalloc ? state.vmallocRow : nil)
        log = snapshot.log
        narration = snapshot.narration
        let placedStep = state.showInspector ? snapshot.placements?.step(of: state.pageMap.cursor) : nil
        inspector = state.showInspector
            ? InspectorStatistics(machine, pfn: state.pageMap.cursor, area: layout.pageMap,
                                  placedAt: placedStep.map { (snapshot.status.counter, $0) })
            : nil
    }

    /// The frames the page map lights: the selected vmalloc area's pages while that panel has
    /// focus, else the selected call site's when the slab panel lists them.
    static func highlight(_ machine: Machine, callSites: [CallSiteRow], state: ViewState) -> Set<Int> {
        let areas = machine.vmap.areas
        if state.focus == .vmalloc, !areas.isEmpty {
            return Set(areas[min(state.vmallocRow, areas.count - 1)].pages.map { Int($0) })
        }
        let row = state.slabTable.selected
        guard state.showCallSites, state.focus != .vmalloc, callSites.indices.contains(row) else { return [] }
        return Set(machine.frames(allocatedBy: callSites[row].site))
    }

    /// The selected cache's objects and slabs over the run, ending at its numbers now, when the
    /// slab panel has focus and a cache row is selected.
    static func cacheTimeline(_ machine: Machine, rows: SlabPanelRows, samples: CacheSamples, state: ViewState) -> CacheTimeline? {
        guard state.focus == .slabs, let cache = rows.selectedCache(in: machine, state: state) else { return nil }
        let series = samples.series(cache: cache)
        let now = machine.slabCaches[cache]
        return CacheTimeline(name: now.name, objects: series.objects + [now.totalObjects], slabs: series.slabs + [now.slabCount])
    }

    /// The fragmentation panel's zone (counted from the top zone down, as the widget counts): its
    /// free blocks of each order at each sample and now, `[order][sample]`.
    static func zoneTimeline(_ zones: [Zone], samples: CacheSamples, state: ViewState) -> [[Int]] {
        guard !zones.isEmpty else { return [] }
        let zone = zones.count - 1 - min(state.zoneChoice, zones.count - 1)
        return samples.freeBlocks(zone: zone).enumerated().map { $1 + [zones[zone].nrFree[$0]] }
    }
}

/// The page map's values for one frame: the pixels of the viewport the map shows.
public struct PageMapStatistics: Hashable, Sendable {
    /// Frames in the machine.
    public var frames: Int
    /// The grid the pixels were sampled for.
    public var geometry: PageMapGeometry
    /// The first frame shown and the zoom (``PageMapState/viewport(in:)`` of the state drawn).
    public var offset: Int, pagesPerPixel: Int
    /// One class per pixel, row-major along pixel rows.
    public var pixels: [PageClass]
    /// Pixels lit white: those holding a highlighted frame.
    public var lit: Set<Int>
    /// The description of the frame under the cursor.
    public var cursorText: String

    /// Samples `machine`'s frames for the viewport `state` shows in `geometry`.
    /// - Complexity: O(frames in the viewport + highlighted frames).
    public init(_ machine: Machine, state: PageMapState, geometry: PageMapGeometry, highlight: Set<Int> = []) {
        let view = state.viewport(in: geometry)
        frames = machine.endPFN
        self.geometry = geometry
        offset = view.offset
        pagesPerPixel = view.pagesPerPixel
        pixels = machine.pageMapPixels(from: view.offset, pixels: geometry.pixels, pagesPerPixel: view.pagesPerPixel)
        lit = Set(highlight.compactMap { $0 >= view.offset ? ($0 - view.offset) / view.pagesPerPixel : nil })
        cursorText = machine.describeFrame(state.cursor)
    }
}

/// The vmalloc range's values for one frame.
public struct VmallocStatistics: Hashable, Sendable {
    /// The range's first address.
    public var start: UInt64
    /// Every area, busy or lazily freed, by address.
    public var areas: [VmapArea]
    /// Pages freed lazily and not yet purged, and the purge threshold.
    public var lazyPages: Int, lazyMaxPages: Int
    /// The selected area's index (clamped), when the panel has focus and there are areas.
    public var selected: Int?
    /// The selected area's caller, as ftrace prints it.
    public var selectedCaller: String

    /// The range of `machine`, with area `selected` (clamped) chosen when given.
    public init(_ machine: Machine, selected: Int?) {
        let vmap = machine.vmap
        start = vmap.start
        let areas = vmap.areas
        self.areas = areas
        lazyPages = vmap.lazyPages
        lazyMaxPages = vmap.lazyMaxPages
        let chosen = selected.flatMap { areas.isEmpty ? nil : min($0, areas.count - 1) }
        self.selected = chosen
        selectedCaller = chosen.map { machine.name(of: areas[$0].caller) } ?? ""
    }
}

/// What the inspector shows of one frame: its description, the explanation of its owner, and
/// its first bytes as `xxd` shows them.
public struct InspectorStatistics: Hashable, Sendable {
    /// The frame.
    public var pfn: Int
    /// The description, then the explanation.
    public var explained: [String]
    /// Hexdump lines, as many as the overlay has room for.
    public var hexdump: [String]

    /// Reads frame `pfn` of `machine` for an inspector drawn over `area`; `placedAt` is the
    /// counter's name (`line`, `op`) and the step whose event placed the frame's block, if known.
    public init(_ machine: Machine, pfn: Int, area: Rect, placedAt: (counter: String, step: Int)? = nil) {
        self.pfn = pfn
        explained = [machine.describeFrame(pfn)] + machine.explainFrame(pfn)
        if let placedAt, InspectorStatistics.isAllocated(machine.owner(of: PageFrameNumber(pfn))) {
            // Right after who placed it, so the reader can go there: g N Enter.
            explained.insert("allocated at \(placedAt.counter) \(placedAt.step) (g \(placedAt.step) Enter goes there)",
                             at: min(2, explained.count))
        }
        let room = InspectorOverlay.rect(over: area).height - 2
        hexdump = room > 0 ? InspectorOverlay.hexdump(machine, pfn: pfn, count: 16 * room) : []
    }
}

extension InspectorStatistics {
    /// Whether a frame of `owner` holds an allocation (one an event placed), not a free or
    /// per-CPU-cached page or memory memtop does not manage.
    static func isAllocated(_ owner: PageOwner) -> Bool {
        switch owner {
        case .free, .perCPU, .absent, .reserved: return false
        default: return true
        }
    }
}
