import HeapModel

/// Booting the simulated kernel: a machine plus the caches the kernel creates before anything runs.
public enum Kernel {
    /// Boots a machine of `configuration` and creates the boot-time slab caches in the order the
    /// kernel does (so `/proc/slabinfo`, newest first, lists them in the kernel's order): SLUB's own
    /// `kmem_cache` and `kmem_cache_node` (the last two rows), the kmalloc caches, and from 6.11 on
    /// `kmalloc_buckets` (the first row at boot).
    /// - Throws: ``MachineConfiguration/Problem`` for a configuration out of range.
    public static func boot(_ configuration: MachineConfiguration) throws(MachineConfiguration.Problem) -> Machine {
        var machine = try Machine(configuration)
        createSLUBCaches(in: &machine)
        KmallocSizes.createCaches(in: &machine)
        if configuration.kernel.hasKmallocBuckets {
            // create_kmalloc_caches() ends with kmem_cache_create("kmalloc_buckets",
            // sizeof(kmem_buckets), 0, SLAB_NO_MERGE) under CONFIG_SLAB_BUCKETS (6.11+, on in
            // Debian's 6.12 and the 6.18 VM): one pointer per kmalloc size index, 14 x 8 = 112 bytes.
            KmemCache.create("kmalloc_buckets", objectSize: 112, in: &machine)
        }
        return machine
    }

    /// `kmem_cache_init()` in `mm/slub.c`: the caches of `struct kmem_cache` and `struct
    /// kmem_cache_node`, both `SLAB_HWCACHE_ALIGN`. `bootstrap()` re-adds `kmem_cache` to the cache
    /// list first and `kmem_cache_node` after it, so slabinfo prints `kmem_cache` last.
    ///
    /// Object sizes as the real captures' `/sys/kernel/slab` show them (224 and 64 bytes in 6.1 and
    /// 6.12); 6.18's `kmem_cache_node` has a `barn` pointer more (72 bytes, a 128-byte slot). memtop
    /// keeps these caches empty: it does not allocate the per-cache records they hold in the kernel.
    static func createSLUBCaches(in machine: inout Machine) {
        let nodeSize: Int
        switch machine.configuration.kernel {
        case .v6_1, .v6_12: nodeSize = 64
        case .v6_18: nodeSize = 72   // + struct node_barn *barn (sheaves)
        }
        KmemCache.create("kmem_cache", objectSize: 224, flags: .hardwareCacheAlign, in: &machine)
        KmemCache.create("kmem_cache_node", objectSize: nodeSize, flags: .hardwareCacheAlign, in: &machine)
    }
}
