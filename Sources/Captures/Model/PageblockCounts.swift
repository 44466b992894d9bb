/// One row of pagetypeinfo's block table: a zone's pageblocks per migratetype, in the order of
/// ``PageTypeInfo/blockTypes``.
public struct PageblockCounts: Hashable, Sendable {
    /// The NUMA node.
    public var node: Int
    /// The zone's printed name.
    public var zone: String
    /// Pageblocks per migratetype column.
    public var counts: [Int]

    /// A block-table row.
    ///
    /// - Parameters:
    ///   - node: The NUMA node.
    ///   - zone: The zone's name.
    ///   - counts: Pageblocks per column.
    public init(node: Int, zone: String, counts: [Int]) {
        self.node = node
        self.zone = zone
        self.counts = counts
    }
}
