/// One cache's line of `/proc/slabinfo` (version 2.1).
///
/// SLUB counts objects on per-CPU slabs as active, so `activeObjects` is what is allocated plus
/// what sits on CPU freelists; `slab_sysfs.tsv` gives the split. The SLAB-era tunables and
/// `sharedavail` columns, always 0 under SLUB, are not kept.
public struct SlabInfoRow: Hashable, Sendable {
    /// The cache's name, e.g. `kmalloc-64`.
    public var name: String
    /// `<active_objs>`.
    public var activeObjects: Int
    /// `<num_objs>`: objects the cache's slabs hold, used or not.
    public var objects: Int
    /// `<objsize>` in bytes.
    public var objectSize: Int
    /// `<objperslab>`.
    public var objectsPerSlab: Int
    /// `<pagesperslab>`: 2^(slab order).
    public var pagesPerSlab: Int
    /// `<active_slabs>`.
    public var activeSlabs: Int
    /// `<num_slabs>`.
    public var slabs: Int

    /// A slabinfo row.
    ///
    /// - Parameters:
    ///   - name: The cache name.
    ///   - activeObjects: Active objects.
    ///   - objects: All objects.
    ///   - objectSize: Object size in bytes.
    ///   - objectsPerSlab: Objects per slab.
    ///   - pagesPerSlab: Pages per slab.
    ///   - activeSlabs: Active slabs.
    ///   - slabs: All slabs.
    public init(name: String, activeObjects: Int, objects: Int, objectSize: Int, objectsPerSlab: Int, pagesPerSlab: Int,
                activeSlabs: Int, slabs: Int) {
        self.name = name
        self.activeObjects = activeObjects
        self.objects = objects
        self.objectSize = objectSize
        self.objectsPerSlab = objectsPerSlab
        self.pagesPerSlab = pagesPerSlab
        self.activeSlabs = activeSlabs
        self.slabs = slabs
    }

    /// Pages the cache's slabs occupy: `num_slabs × pagesperslab`.
    public var pages: Int { slabs * pagesPerSlab }
}
