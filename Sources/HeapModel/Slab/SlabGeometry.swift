/// How SLUB lays out a cache: slot size, slab order and objects per slab, computed as `mm/slub.c`
/// computes them (`calculate_sizes()`, `calculate_order()`, `calc_slab_order()`).
public struct SlabGeometry: Hashable, Sendable {
    /// `s->size`: the slot size, object plus alignment padding (what slabinfo's objsize shows).
    public let size: Int
    /// `oo_order(s->oo)`: the preferred slab order.
    public let order: Int
    /// Objects in a slab of the preferred order.
    public let objectsPerSlab: Int
    /// `oo_order(s->min)`: the smallest order holding one object, used when the preferred order fails.
    public let minOrder: Int
    /// `s->min_partial`: empty slabs a node keeps instead of freeing them.
    public let minPartial: Int

    /// `MAX_OBJS_PER_PAGE`.
    static let maxObjectsPerSlab = 32767
    /// `slub_max_order` default, `PAGE_ALLOC_COSTLY_ORDER`.
    static let maxSlabOrder = 3

    /// The kernel's `fls()`: 1-based index of the highest set bit, 0 for 0.
    static func fls(_ x: Int) -> Int { x == 0 ? 0 : Int.bitWidth - x.leadingZeroBitCount }

    /// Computes the geometry of a cache with slot size `size` on a machine with `cpus` present CPUs.
    /// - Precondition: `size >= 8` and a multiple of 8.
    public init(size: Int, cpus: Int, kernel: KernelVersion) {
        self.size = size
        let order = SlabGeometry.order(size: size, cpus: cpus, kernel: kernel)
        self.order = order
        self.objectsPerSlab = (Page.size << order) / size
        self.minOrder = Page.order(forBytes: size)
        let log2 = SlabGeometry.fls(size) - 1
        self.minPartial = min(10, max(5, log2 / 2))
    }

    /// The geometry a real cache reports (`/sys/kernel/slab/*/order`, `min_partial`), for caches
    /// rebuilt from a capture: the preferred order as the kernel chose it.
    public init(size: Int, order: Int, minPartial: Int? = nil) {
        self.size = size
        self.order = order
        self.objectsPerSlab = (Page.size << order) / size
        self.minOrder = min(order, Page.order(forBytes: size))
        self.minPartial = minPartial ?? min(10, max(5, (SlabGeometry.fls(size) - 1) / 2))
    }

    /// `calculate_order()` for the given kernel.
    static func order(size: Int, cpus: Int, kernel: KernelVersion) -> Int {
        func objects(_ order: Int) -> Int { (Page.size << order) / size }
        var minObjects = 4 * (fls(max(cpus, 1)) + 1)
        minObjects = min(minObjects, objects(maxSlabOrder))
        if !kernel.searchesSlabOrderFromOneMinimum {
            // 6.1: min_objects counts down, fractions 16, 8, 4 at each.
            func calc(_ minObjects: Int, _ maxOrder: Int, _ fraction: Int) -> Int {
                if objects(0) > maxObjectsPerSlab { return Page.order(forBytes: size * maxObjectsPerSlab) - 1 }
                var order = max(0, Page.order(forBytes: minObjects * size))
                while order <= maxOrder {
                    let slab = Page.size << order
                    if slab % size <= slab / fraction { return order }
                    order += 1
                }
                return maxOrder + 1
            }
            var m = minObjects
            while m > 1 {
                for fraction in [16, 8, 4] {
                    let o = calc(m, maxSlabOrder, fraction)
                    if o <= maxSlabOrder { return o }
                }
                m -= 1
            }
            let o = calc(1, maxSlabOrder, 1)
            if o <= maxSlabOrder { return o }
            return min(calc(1, Page.maxOrder, 1), Page.maxOrder)
        }
        // 6.12 and 6.18: one minimum order, then the leftover fractions from it.
        let minOrder = Page.order(forBytes: max(minObjects, 1) * size)
        if objects(minOrder) > maxObjectsPerSlab { return Page.order(forBytes: size * maxObjectsPerSlab) - 1 }
        for fraction in [16, 8, 4, 2] {
            var order = minOrder
            while order <= maxSlabOrder {
                let slab = Page.size << order
                if slab % size <= slab / fraction { return order }
                order += 1
            }
        }
        return min(Page.order(forBytes: size), Page.maxOrder)
    }

    /// `calculate_sizes()` without debug options: round the object up to a pointer, then to the
    /// alignment; a constructor or `SLAB_TYPESAFE_BY_RCU` puts the free pointer after the object.
    public static func slotSize(objectSize: Int, align: Int, freePointerOutside: Bool) -> Int {
        var size = (max(objectSize, 1) + 7) & ~7
        if freePointerOutside { size += 8 }
        let a = max(align, 8)
        return (size + a - 1) / a * a
    }

    /// `calculate_alignment()`: with `SLAB_HWCACHE_ALIGN` the cache line (64), halved while the
    /// object fits in half of it; never below `align` or 8.
    public static func alignment(objectSize: Int, align: Int, hardwareCacheAlign: Bool) -> Int {
        var a = max(align, 8)
        if hardwareCacheAlign {
            var line = 64
            while objectSize <= line / 2 && line > 8 { line /= 2 }
            a = max(a, line)
        }
        return a
    }
}
