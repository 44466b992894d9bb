/// One line of `/proc/buddyinfo`: a zone's free block counts by order.
///
/// `freeBlocks[k]` blocks of 2^k pages each are on the zone's free lists (all migratetypes
/// together); pages on the per-CPU lists are not counted.
public struct BuddyInfoZone: Hashable, Sendable {
    /// The NUMA node.
    public var node: Int
    /// The zone's printed name.
    public var zone: String
    /// Free blocks per order, index 0 first (orders 0...10 on x86_64).
    public var freeBlocks: [Int]

    /// A zone's free block counts.
    ///
    /// - Parameters:
    ///   - node: The NUMA node.
    ///   - zone: The zone's name.
    ///   - freeBlocks: Free blocks per order, order 0 first.
    public init(node: Int, zone: String, freeBlocks: [Int]) {
        self.node = node
        self.zone = zone
        self.freeBlocks = freeBlocks
    }

    /// Free pages: the sum of count × 2^order.
    ///
    /// - Complexity: O(orders).
    public var freePages: Int { freePages(fromOrder: 0) }

    /// Free pages in blocks of at least `order`: the sum of count × 2^k for k ≥ `order`.
    ///
    /// - Parameter order: The smallest order counted.
    /// - Returns: The pages in free blocks of that order or larger.
    /// - Complexity: O(orders).
    public func freePages(fromOrder order: Int) -> Int {
        var pages = 0
        for (k, count) in freeBlocks.enumerated() where k >= order { pages += count << k }
        return pages
    }
}
