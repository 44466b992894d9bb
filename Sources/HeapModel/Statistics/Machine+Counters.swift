/// Whole-machine page counts that no single zone or cache holds, for timelines.
extension Machine {
    /// Pages held by live large kmallocs (`kmalloc_large()`: compound blocks straight from the
    /// buddy allocator), as the allocations the machine knows of hold them.
    /// - Complexity: O(live large kmallocs).
    public var largeKmallocPages: Int {
        var pages = 0
        for address in largeAllocations.keys {
            guard let pfn = VirtualAddress(rawValue: address).directMapFrame, let order = blockOrder(at: pfn) else { continue }
            pages += 1 << order
        }
        return pages
    }

    /// Small pages backing busy vmalloc areas (vmallocinfo's `pages=` summed; lazily freed areas hold none).
    /// - Complexity: O(vmalloc areas).
    public var vmallocPages: Int {
        vmapSpace.areas.reduce(0) { $0 + $1.pages.count }
    }
}
