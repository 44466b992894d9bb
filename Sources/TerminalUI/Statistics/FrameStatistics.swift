import HeapModel

/// The values one frame draws, built once from the frame's ``FrameSnapshot`` for the view: the
/// statistics step between the machine and the widgets (house style §1, "sample, then draw").
///
/// ``init(_:state:layout:)`` is the only place a frame reads the machine: it sorts the slab rows,
/// samples the page map's pixels for the viewport the map will show, summarises the zones and the
/// vmalloc range, and reads what the inspector shows. Every widget is then built from these
/// values and draws without walking the machine.
public struct FrameStatistics: Sendable {
    /// The status bar's facts.
    public var status: StatusInfo
    /// The machine's kernel, CPUs and RAM, for the status bar.
    public var configuration: MachineConfiguration
    /// The page map's pixels and the line under it.
    public var pageMap: PageMapStatistics
    /// The slab table's rows as shown: sorted, and only the matches when filtering.
    public var slabRows: [SlabRow]
    /// The selected cache's objects and slabs over the run, when the slab panel has focus.
    public var cacheTimeline: CacheTimeline?
    /// The call-site table's rows (when the slab panel shows call sites).
    public var callSites: [CallSiteRow]
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
    ///   inspector's frame when it is open.
    public init(_ snapshot: FrameSnapshot, state: ViewState, layout: ScreenLayout) {
        let machine = snapshot.machine
        status = snapshot.status
        configuration = machine.configuration
        pageMap = PageMapStatistics(machine, state: state.pageMap, geometry: layout.map, highlight: snapshot.highlight)
        slabRows = state.showCallSites ? [] : SlabRow.shown(of: machine, state: state)
        cacheTimeline = snapshot.cacheTimeline
        callSites = snapshot.callSites
        callChain = []
        if state.showCallSites, state.focus == .slabs, !callSites.isEmpty, !machine.callStacks.isEmpty {
            let site = callSites[min(max(0, state.slabTable.selected), callSites.count - 1)].site
            callChain = machine.callChainLines(of: site, maxFrames: 12)
        }
        zones = machine.populatedZones
        zoneTimeline = snapshot.zoneTimeline
        history = snapshot.history
        vmalloc = VmallocStatistics(machine, selected: state.focus == .vmalloc ? state.vmallocRow : nil)
        log = snapshot.log
        narration = snapshot.narration
        inspector = state.showInspector
            ? InspectorStatistics(machine, pfn: PageFrameNumber(state.pageMap.cursor), area: layout.pageMap,
                                  placedAt: snapshot.cursorPlacedStep.map { (snapshot.status.counter, $0) })
            : nil
    }
}
