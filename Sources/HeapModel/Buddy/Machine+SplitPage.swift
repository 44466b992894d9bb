/// `split_page()`: an allocated high-order block becomes independent order-0 pages.
extension Machine {
    /// Turns the allocated block of 2^`order` pages at `pfn` into 2^`order` allocated order-0 pages
    /// with the same owner, each of which is then freed on its own (and merges back with its buddies
    /// as they come free). Huge vmalloc does this to its order-9 blocks (`vm_area_alloc_pages()` in
    /// `mm/vmalloc.c`), so that the area's page array holds small pages and vfree frees them one by one.
    /// - Precondition: `pfn` heads an allocated block of exactly `order`.
    /// - Complexity: O(2^order).
    public mutating func splitPage(_ pfn: PageFrameNumber, order blockOrder: Order) {
        let i = pfn.rawValue, order = blockOrder.rawValue
        precondition(i >= 0 && i < endPFN && Int(frames[i].order) == order && frames[i].owner.isAllocated,
                     "split_page of pfn \(i) order \(order): not an allocated block of that order")
        // INVARIANT: every frame of the block becomes the head of its own allocated order-0 block.
        for f in i..<(i + (1 << order)) { frames[f].order = 0 }
    }
}
