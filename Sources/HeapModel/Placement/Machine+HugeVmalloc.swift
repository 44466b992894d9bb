/// A huge vmalloc area's blocks as the trace shows them.
///
/// `vm_area_alloc_pages()` takes order-0 pages with the bulk allocator, which emits no
/// `mm_page_alloc`, but a huge mapping's order-9 blocks one at a time through `alloc_pages_node()`,
/// each traced. A placed replay backs the area with memtop's own blocks when the vmalloc starts;
/// each traced block then takes the place of 2^order of memtop's pages, so the area's memory is
/// counted once and lies where the kernel put it.
extension Machine {
    /// Puts the traced block `pfn` of 2^`order` frames into the area starting at `start`, in
    /// place of the area's pages `from ..< from + 2^order`, which memtop chose and gives back
    /// to the buddy lists without events (they were never the kernel's). The block is split into
    /// small pages, as `vm_area_alloc_pages()` splits it.
    /// - Returns: what had to give way, or nil when the area does not exist or has no such pages
    ///   (the caller then places the block as plain pages).
    /// - Throws: ``PlacementProblem`` when the frames are not managed memory; the area is then
    ///   unchanged.
    public mutating func adoptTracedBlock(_ pfn: PageFrameNumber, order: Order, migrateType: MigrateType, gfp: GFPFlags,
                                          cpu: Int?, intoAreaAt start: VirtualAddress, from: Int) throws(PlacementProblem) -> PlacementReport? {
        let count = order.pages
        guard let a = vmapSpace.areaIndex(startingAt: start), from >= 0, from + count <= vmapSpace.areas[a].pages.count else {
            return nil
        }
        // Checked before memtop's pages are given back, so that a refusal changes nothing.
        _ = try placementZone(pfn, order: order)
        let listed = vmapSpace.areas[a].pages.count
        var released: Set<Int32> = []
        for p in vmapSpace.areas[a].pages[from..<(from + count)]
        where frames[Int(p)].owner == .vmalloc && frames[Int(p)].placement != .observed {
            frames[Int(p)].owner = .pages
            freeBlock(Int(p), order: 0, zone: zoneIndex(of: Int(p)), toTail: false, recordEvents: false)
            released.insert(p)
        }
        let report = try placeBlock(at: pfn, order: order, migrateType: migrateType, owner: .vmalloc, gfp: gfp, cpu: cpu)
        splitPage(pfn, order: order)
        // The area may have moved in the array if placing relocated others' pages; look it up again.
        guard let b = vmapSpace.areaIndex(startingAt: start) else { return report }
        if vmapSpace.areas[b].pages.count == listed {
            for k in 0..<count { vmapSpace.areas[b].pages[from + k] = Int32(pfn.rawValue + k) }
        } else {
            // Placing gave back one of the area's traced pages (a lost free), so its list is shorter
            // and the indices moved: the block's pages take the places of the pages released above.
            var next = pfn.rawValue
            for i in vmapSpace.areas[b].pages.indices where next < pfn.rawValue + count && released.contains(vmapSpace.areas[b].pages[i]) {
                vmapSpace.areas[b].pages[i] = Int32(next)
                next += 1
            }
            while next < pfn.rawValue + count {
                vmapSpace.areas[b].pages.append(Int32(next))
                next += 1
            }
        }
        return report
    }
}
