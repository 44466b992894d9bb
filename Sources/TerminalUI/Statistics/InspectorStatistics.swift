import HeapModel

/// What the inspector shows of one frame: its description, the explanation of its owner, and
/// its first bytes as `xxd` shows them.
public struct InspectorStatistics: Hashable, Sendable {
    /// The frame.
    public var pfn: PageFrameNumber
    /// The description, then the explanation.
    public var explained: [String]
    /// Hexdump lines, as many as the overlay has room for.
    public var hexdump: [String]

    /// Reads frame `pfn` of `machine` for an inspector drawn over `area`; `placedAt` is the
    /// counter's name (`line`, `op`) and the step whose event placed the frame's block, if known.
    public init(_ machine: Machine, pfn: PageFrameNumber, area: Rect, placedAt: (counter: String, step: Int)? = nil) {
        self.pfn = pfn
        explained = [machine.describeFrame(pfn)] + machine.explainFrame(pfn)
        if let placedAt, InspectorStatistics.isAllocated(machine.owner(of: pfn)) {
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
