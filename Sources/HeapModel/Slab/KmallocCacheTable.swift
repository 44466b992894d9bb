/// `kmalloc_caches[type][index]`: the kmalloc caches by type and size index, nil where not created.
///
/// Read on every kmalloc, so it is one flat array behind an inlinable subscript.
public struct KmallocCacheTable: Hashable, Sendable {
    /// Size indices per type: 0 through `KMALLOC_SHIFT_HIGH` (13, the 8 KiB class).
    @inlinable public static var indexCount: Int { 14 }

    /// Cache ids by `type.rawValue * indexCount + index`; -1 for none.
    @usableFromInline var ids: [Int32]

    /// A table with no caches.
    public init() {
        ids = Array(repeating: -1, count: SlabCache.KmallocType.allCases.count * Self.indexCount)
    }

    /// The cache of `type` and size `index` (0 ..< ``indexCount``), if created.
    @inlinable
    public subscript(type: SlabCache.KmallocType, index: Int) -> CacheID? {
        get {
            let raw = ids[type.rawValue &* Self.indexCount &+ index]
            return raw < 0 ? nil : CacheID(rawValue: UInt16(truncatingIfNeeded: raw))
        }
        set { ids[type.rawValue * Self.indexCount + index] = newValue.map { Int32($0.rawValue) } ?? -1 }
    }
}
