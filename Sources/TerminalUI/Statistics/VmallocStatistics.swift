import HeapModel

/// The vmalloc range's values for one frame.
public struct VmallocStatistics: Hashable, Sendable {
    /// The range's first address.
    public var start: VirtualAddress
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
