/// The identity of a slab cache inside one machine: an index into its cache table.
public struct CacheID: RawRepresentable, Hashable, Comparable, Sendable, Codable {
    /// The index.
    public var rawValue: UInt16
    /// Wraps an index.
    public init(rawValue: UInt16) { self.rawValue = rawValue }
    /// Orders ids by creation.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
