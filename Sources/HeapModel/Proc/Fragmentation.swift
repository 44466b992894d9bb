/// The kernel's fragmentation metrics (`mm/vmstat.c`), as pure functions of a zone's free counts.
public enum Fragmentation {
    /// `struct contig_page_info`: what `fill_contig_page_info()` gathers for one order.
    public struct ContigInfo: Hashable, Sendable {
        /// Free blocks of any order.
        public var freeBlocksTotal: Int
        /// Free pages in all blocks.
        public var freePages: Int
        /// How many blocks of the requested order the free blocks could serve.
        public var freeBlocksSuitable: Int
    }

    /// `fill_contig_page_info()` over buddyinfo counts `nrFree` (one per order).
    public static func contigInfo(nrFree: [Int], order requested: Order) -> ContigInfo {
        let order = requested.rawValue
        var info = ContigInfo(freeBlocksTotal: 0, freePages: 0, freeBlocksSuitable: 0)
        for (j, blocks) in nrFree.enumerated() {
            info.freeBlocksTotal += blocks
            info.freePages += blocks << j
            if j >= order { info.freeBlocksSuitable += blocks << (j - order) }
        }
        return info
    }

    /// `__fragmentation_index()` × 1000: −1000 when a suitable block exists, 0 with no free blocks,
    /// otherwise near 1000 when a failure would be due to fragmentation rather than lack of memory.
    public static func extfragIndex(nrFree: [Int], order: Order) -> Int {
        let info = contigInfo(nrFree: nrFree, order: order)
        if info.freeBlocksTotal == 0 { return 0 }
        if info.freeBlocksSuitable > 0 { return -1000 }
        let requested = order.pages
        return 1000 - (1000 + info.freePages * 1000 / requested) / info.freeBlocksTotal
    }

    /// `unusable_free_index()` × 1000: the share of free memory that cannot serve an order-`order`
    /// request; 1000 when nothing is free.
    public static func unusableIndex(nrFree: [Int], order: Order) -> Int {
        let info = contigInfo(nrFree: nrFree, order: order)
        if info.freePages == 0 { return 1000 }
        return (info.freePages - (info.freeBlocksSuitable << order.rawValue)) * 1000 / info.freePages
    }

    /// The largest order with a free block, or nil when nothing is free.
    public static func largestFreeOrder(nrFree: [Int]) -> Int? {
        nrFree.lastIndex(where: { $0 > 0 })
    }

    /// An extfrag index as debugfs prints it, `%2d.%03d` of index/1000 and index%1000 with C's
    /// truncating division: −1000 is `-1.000`, 735 is ` 0.735`.
    public static func formatExtfrag(_ index: Int) -> String {
        pad(String(index / 1000), 2) + "." + zeroPad(abs(index % 1000), 3)
    }

    /// An unusable index as debugfs prints it, `%d.%03d`: 384 is `0.384`.
    public static func formatUnusable(_ index: Int) -> String {
        String(index / 1000) + "." + zeroPad(index % 1000, 3)
    }
}
