/// Pages of a vmalloc area on one NUMA node (`N0=4`).
public struct NodePages: Hashable, Sendable {
    /// The node.
    public var node: Int
    /// Pages on it.
    public var pages: Int

    /// A node's share.
    ///
    /// - Parameters:
    ///   - node: The node.
    ///   - pages: Pages on it.
    public init(node: Int, pages: Int) {
        self.node = node
        self.pages = pages
    }
}
