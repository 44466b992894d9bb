import HeapModel

/// kmalloc's size classes (`kmalloc_info[]`, `size_index[]` and `__kmalloc_index()` in
/// `mm/slab_common.c` / `include/linux/slab.h`) on x86_64 with SLUB.
public enum KmallocSizes {
    /// `KMALLOC_MAX_CACHE_SIZE`: the largest size a kmalloc cache serves (8 KiB).
    @inlinable public static var maxCacheSize: Int { 8192 }
    /// `KMALLOC_MAX_SIZE`: the largest kmalloc at all (4 MiB, the buddy allocator's top order).
    @inlinable public static var maxSize: Int { Page.size << Page.maxOrder }
    /// Index 1 and 2 are the odd classes; index i >= 3 is 2^i.
    static let classSizes = [0, 96, 192, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192]
    /// `size_index[(n - 1) / 8]` for n <= 192.
    static let sizeIndex = [3, 4, 5, 5, 6, 6, 6, 6, 1, 1, 1, 1, 7, 7, 7, 7, 2, 2, 2, 2, 2, 2, 2, 2]

    /// The class index for a request of `size` bytes, 1 <= size <= 8192.
    @inline(__always)
    public static func index(forSize size: Int) -> Int {
        if size <= 192 { return sizeIndex[(size - 1) >> 3] }
        return Int.bitWidth - (size - 1).leadingZeroBitCount   // fls(size - 1)
    }

    /// The class size of index `i` (`bytes_alloc` of a kmalloc).
    public static func classSize(index i: Int) -> Int { classSizes[i] }

    /// The cache name for index `i` and type: `kmalloc-96`, `kmalloc-cg-1k`, `dma-kmalloc-8k`.
    public static func name(index i: Int, type: SlabCache.KmallocType) -> String {
        let size = classSizes[i]
        return type.prefix + (size >= 1024 ? "\(size / 1024)k" : "\(size)")
    }

    /// `kmalloc_type()`: DMA first, then reclaimable (which wins over accounting), then cgroup.
    @inline(__always)
    public static func type(for flags: GFPFlags) -> SlabCache.KmallocType {
        if flags.rawValue & (GFPFlags.dma.rawValue | GFPFlags.reclaimable.rawValue | GFPFlags.account.rawValue) == 0 { return .normal }
        if flags.contains(.dma) { return .dma }
        if flags.contains(.reclaimable) { return .reclaim }
        return .cgroup
    }

    /// `create_kmalloc_caches()`: every type, every class, in the kernel's creation order (slabinfo
    /// lists the newest first). 6.1 creates types normal, cg, rcl, dma, each 8...64, 96, 128, 192,
    /// 256...8k; 6.12 and 6.18 create types normal, rcl, dma, cg, each 96, 192, then 8...8k.
    public static func createCaches(in machine: inout Machine) {
        let kernel = machine.configuration.kernel
        let oddFirst = kernel.createsOddKmallocClassesFirst
        let types: [SlabCache.KmallocType] = oddFirst ? [.normal, .reclaim, .dma, .cgroup] : [.normal, .cgroup, .reclaim, .dma]
        let indices = oddFirst ? [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13] : [3, 4, 5, 6, 1, 7, 2, 8, 9, 10, 11, 12, 13]
        for type in types {
            for i in indices {
                let size = classSizes[i]
                var flags: SlabCache.Flags = []
                switch type {
                case .normal: break
                case .cgroup: flags.insert(.account)
                case .reclaim: flags.insert(.reclaimAccount)
                case .dma: flags.insert(.dma)
                }
                // Power-of-two classes are naturally aligned; 96 and 192 get ARCH_KMALLOC_MINALIGN.
                let align = size & (size - 1) == 0 ? size : 8
                // INVARIANT: kmalloc classes are 8...8192 bytes, always valid slot sizes.
                if let id = machine.createCache(name: name(index: i, type: type), objectSize: size, size: size, align: align,
                                                flags: flags, kmallocType: type) {
                    machine.registerKmallocCache(id, type: type, index: i)
                }
            }
        }
    }
}
