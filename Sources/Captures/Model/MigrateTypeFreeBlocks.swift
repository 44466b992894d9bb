/// One row of pagetypeinfo's free table: a zone and migratetype's free blocks by order.
public struct MigrateTypeFreeBlocks: Hashable, Sendable {
    /// The NUMA node.
    public var node: Int
    /// The zone's printed name.
    public var zone: String
    /// The migratetype as printed (`Unmovable`, ...).
    public var migrateType: String
    /// Free blocks per order, order 0 first.
    public var counts: [Int]

    /// A free-table row.
    ///
    /// - Parameters:
    ///   - node: The NUMA node.
    ///   - zone: The zone's name.
    ///   - migrateType: The migratetype.
    ///   - counts: Free blocks per order.
    public init(node: Int, zone: String, migrateType: String, counts: [Int]) {
        self.node = node
        self.zone = zone
        self.migrateType = migrateType
        self.counts = counts
    }
}
