/// A line of `slab_aliases.tsv`: a cache name that is a symbolic link in `/sys/kernel/slab` to the
/// directory of the cache it was merged into.
public struct SlabAlias: Hashable, Sendable {
    /// The link's name (the name a subsystem created its cache under).
    public var alias: String
    /// The directory it links to, e.g. `:0000064` or a real cache's name.
    public var target: String

    /// An alias.
    ///
    /// - Parameters:
    ///   - alias: The link's name.
    ///   - target: The directory it names.
    public init(alias: String, target: String) {
        self.alias = alias
        self.target = target
    }
}
