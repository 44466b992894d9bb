import HeapModel

/// What `kmem_cache_create` is given.
public struct CacheSpecification: Hashable, Sendable {
    /// The cache's name, as slabinfo shows it.
    public var name: String
    /// The object size in bytes.
    public var objectSize: Int
    /// The requested alignment, a power of two.
    public var align: Int
    /// `SLAB_HWCACHE_ALIGN`, `SLAB_RECLAIM_ACCOUNT`, `SLAB_ACCOUNT`.
    public var flags: SlabCache.Flags
    /// Whether the cache has a constructor (which moves the free pointer out of the object).
    public var hasConstructor: Bool

    /// A cache specification.
    public init(name: String, objectSize: Int, align: Int = 8, flags: SlabCache.Flags = [], hasConstructor: Bool = false) {
        self.name = name
        self.objectSize = objectSize
        self.align = align
        self.flags = flags
        self.hasConstructor = hasConstructor
    }
}
