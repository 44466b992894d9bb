/// `/proc/pagetypeinfo`: free blocks per zone, migratetype and order, and pageblocks per
/// migratetype.
///
/// Migratetypes are kept as the kernel prints them (`Unmovable`, `Movable`, `Reclaimable`,
/// `HighAtomic`, `CMA` when configured, `Isolate`), so a kernel with more or fewer types reads the
/// same way.
public struct PageTypeInfo: Hashable, Sendable {
    /// `Page block order:` — the order of a pageblock (9 on x86_64: 2 MiB).
    public var pageblockOrder: Int
    /// `Pages per block:` — 2^pageblockOrder.
    public var pagesPerBlock: Int
    /// The rows of the "Free pages count per migrate type at order" table, in the order printed.
    public var freeBlocks: [MigrateTypeFreeBlocks]
    /// The migratetype names heading the "Number of blocks type" table, in column order.
    public var blockTypes: [String]
    /// The rows of the "Number of blocks type" table.
    public var blockCounts: [PageblockCounts]
    /// The rows of the "Number of mixed blocks" table (kernels with page_owner); empty when absent.
    public var mixedBlockCounts: [PageblockCounts]

    /// A pagetypeinfo with all its tables.
    ///
    /// - Parameters:
    ///   - pageblockOrder: The pageblock order.
    ///   - pagesPerBlock: Pages per pageblock.
    ///   - freeBlocks: The free-count rows.
    ///   - blockTypes: The block table's migratetype columns.
    ///   - blockCounts: The block table's rows.
    ///   - mixedBlockCounts: The mixed-block table's rows.
    public init(pageblockOrder: Int, pagesPerBlock: Int, freeBlocks: [MigrateTypeFreeBlocks], blockTypes: [String],
                blockCounts: [PageblockCounts], mixedBlockCounts: [PageblockCounts] = []) {
        self.pageblockOrder = pageblockOrder
        self.pagesPerBlock = pagesPerBlock
        self.freeBlocks = freeBlocks
        self.blockTypes = blockTypes
        self.blockCounts = blockCounts
        self.mixedBlockCounts = mixedBlockCounts
    }

    /// The free block counts per order of one zone and migratetype, or nil when not printed.
    ///
    /// - Parameters:
    ///   - node: The NUMA node.
    ///   - zone: The zone's name.
    ///   - migrateType: The migratetype as printed.
    /// - Returns: Free blocks per order, order 0 first.
    /// - Complexity: O(rows).
    public func freeBlocks(node: Int = 0, zone: String, migrateType: String) -> [Int]? {
        freeBlocks.first { $0.node == node && $0.zone == zone && $0.migrateType == migrateType }?.counts
    }

    /// The number of pageblocks of one migratetype in one zone, or nil when not printed.
    ///
    /// - Parameters:
    ///   - node: The NUMA node.
    ///   - zone: The zone's name.
    ///   - migrateType: The migratetype as printed.
    /// - Returns: The pageblock count.
    /// - Complexity: O(rows + types).
    public func pageblocks(node: Int = 0, zone: String, migrateType: String) -> Int? {
        guard let column = blockTypes.firstIndex(of: migrateType),
              let row = blockCounts.first(where: { $0.node == node && $0.zone == zone }) else { return nil }
        return row.counts[column]
    }
}
