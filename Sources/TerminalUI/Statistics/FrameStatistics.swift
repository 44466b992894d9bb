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
            ? InspectorStatistics(machine, pfn: PageFrameNumber(state.pageMap.cursor), area: layout.pageMap,
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
        return Set(machine.frames(allocatedBy: callSites[row].site).map(\.rawValue))
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
