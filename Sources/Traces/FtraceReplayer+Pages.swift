import HeapModel

extension FtraceReplayer {
    /// `mm_page_alloc` of movable pages become outside pages; their frees return them. Other page
    /// events are the kernel's own slab and page-table pages, which the simulation makes itself.
    mutating func replayPages(_ d: DecodedLine, on machine: inout Machine) {
        switch d.event {
        case .mmPageAlloc:
            let order = d.a
            guard let ours = try? machine.allocPages(order: Order(order), gfp: d.flags, owner: .outside) else {
                simulationFailed(d.line, "mm_page_alloc of order \(order): memtop's buddy allocator had no block")
                return
            }
            // A free the trace lost: give the earlier block back before reusing the name.
            if let (old, oldOrder) = outside.updateValue((ours, order), forKey: d.address) { try? machine.freePages(old, order: Order(oldOrder)) }
            appliedCounts[Applied.outsidePages.rawValue] += 1
        default:
            if let (ours, order) = outside.removeValue(forKey: d.address) { try? machine.freePages(ours, order: Order(order)) }
        }
    }
}
