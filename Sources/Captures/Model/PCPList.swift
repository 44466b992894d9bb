/// One CPU's per-CPU page list of one zone: a line of `pcp.tsv`, or a `cpu:` block of zoneinfo's
/// `pagesets`.
///
/// Pages on these lists are free to the CPU but not to buddyinfo until the lists drain.
public struct PCPList: Hashable, Sendable {
    /// The NUMA node.
    public var node: Int
    /// The zone's printed name.
    public var zone: String
    /// The CPU.
    public var cpu: Int
    /// Pages on the list.
    public var count: Int
    /// The list's high mark: above it pages go back to the buddy allocator.
    public var high: Int
    /// How many pages move between the list and the buddy allocator at a time.
    public var batch: Int
    /// `vm stats threshold`: the per-CPU counter drift allowed before folding into the zone's
    /// counters; nil when not printed for this CPU.
    public var vmStatsThreshold: Int?

    /// A per-CPU list with all its fields.
    ///
    /// - Parameters:
    ///   - node: The NUMA node.
    ///   - zone: The zone's name.
    ///   - cpu: The CPU.
    ///   - count: Pages on the list.
    ///   - high: The high mark.
    ///   - batch: The batch size.
    ///   - vmStatsThreshold: The counter threshold, when known.
    public init(node: Int, zone: String, cpu: Int, count: Int, high: Int, batch: Int, vmStatsThreshold: Int?) {
        self.node = node
        self.zone = zone
        self.cpu = cpu
        self.count = count
        self.high = high
        self.batch = batch
        self.vmStatsThreshold = vmStatsThreshold
    }
}
