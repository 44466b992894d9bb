/// `/proc/meminfo`: each line's value by key.
///
/// Most lines are in kB (`MemFree:  711600 kB`); the `HugePages_*` lines are counts with no unit,
/// kept apart so a count is never read as kilobytes.
public struct MemInfo: Hashable, Sendable {
    /// The values of the `kB` lines by key (`MemFree`, `Slab`, `VmallocUsed`, ...).
    public var kilobytes: [String: Int]
    /// The values of lines without a unit (`HugePages_Total`, ...), by key.
    public var counts: [String: Int]
    /// The keys in the order printed.
    public var keys: [String]

    /// A meminfo.
    ///
    /// - Parameters:
    ///   - kilobytes: The kB values by key.
    ///   - counts: The unitless values by key.
    ///   - keys: The keys in the order printed.
    public init(kilobytes: [String: Int], counts: [String: Int], keys: [String]) {
        self.kilobytes = kilobytes
        self.counts = counts
        self.keys = keys
    }

    /// The value of a `kB` line, or nil when the key is absent or has no unit.
    ///
    /// - Parameter key: The key without its colon.
    public subscript(key: String) -> Int? { kilobytes[key] }
}
