import HeapModel

/// The cache each call site's objects were freed from by name, indexed by the site's dense id:
/// looked up for every `kmem_cache_alloc` and named free, so an array rather than a dictionary.
///
/// # Invariants
/// `entries[i]` is `unseen` until a named free of an object allocated at site `i` is seen, then
/// that cache's raw id, or `ambiguous` once a second cache was seen for the same site.
struct SiteCaches {
    private var entries: [Int32] = []
    private static let unseen = Int32.min, ambiguous: Int32 = -1

    /// The one cache `site`'s objects were freed from by name; nil when none or more than one was seen.
    subscript(site: CallSite) -> CacheID? {
        let i = Int(site.rawValue)
        guard i < entries.count, entries[i] >= 0 else { return nil }
        return CacheID(rawValue: UInt16(entries[i]))
    }

    /// Notes a named free of an object from `site` in `cache`; returns whether this is the first.
    mutating func note(_ site: CallSite, cache: CacheID) -> Bool {
        let i = Int(site.rawValue)
        if i >= entries.count { entries.append(contentsOf: repeatElement(Self.unseen, count: i + 1 - entries.count)) }
        if entries[i] == Self.unseen {
            entries[i] = Int32(cache.rawValue)
            return true
        }
        if entries[i] >= 0 && entries[i] != Int32(cache.rawValue) { entries[i] = Self.ambiguous }
        return false
    }
}
