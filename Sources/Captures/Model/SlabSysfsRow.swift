/// One directory of `/sys/kernel/slab`, as a row of `slab_sysfs.tsv`.
///
/// Every column of the file's header is kept, by its header name (`objs_per_slab`, `order`,
/// `objects`, `slabs_cpu_partial`, ...). The per-node and per-CPU breakdowns the kernel appends
/// (`3 N0=3`, `170(2) C0=85(1) C1=85(1)`) are reduced to their totals. Directories named like
/// `:0000064` are merged caches; `slab_aliases.tsv` tells which names link to them.
public struct SlabSysfsRow: Hashable, Sendable {
    /// The directory name: a cache name, or `:`-prefixed for a merged cache.
    public var cache: String
    /// Every other column, by header name.
    public var values: [String: SlabSysfsValue]

    /// A row.
    ///
    /// - Parameters:
    ///   - cache: The directory name.
    ///   - values: The other columns by header name.
    public init(cache: String, values: [String: SlabSysfsValue]) {
        self.cache = cache
        self.values = values
    }

    /// True for a merged cache's directory (`:0000064`, `:a-0000104`): SLUB names a cache shared by
    /// several compatible `kmem_cache_create` calls this way and links each name to it.
    public var isMerged: Bool { cache.hasPrefix(":") }

    /// The total of `column`, or nil when the column is absent or `NA`.
    ///
    /// - Parameter column: A header name.
    /// - Returns: The column's leading number (for `slabs_cpu_partial`, the objects).
    public func number(_ column: String) -> Int? { values[column]?.total }
}
