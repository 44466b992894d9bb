/// A slab cache (`struct kmem_cache`): its identity, geometry and the state of its slabs.
///
/// # Invariants
/// - `slabCount` counts every slab of this cache; `objectsInUse` sums their in-use objects;
///   `totalObjects` sums their object counts and `slabPages` their pages (a slab made at the
///   fallback minimum order holds fewer objects and pages than the preferred geometry says).
/// - `partialFreeObjects` sums the free objects of the slabs on the node partial list.
/// - A slab is on the partial list, is some CPU's active slab, or is full; never two of these.
public struct SlabCache: Hashable, Sendable {
    /// What kind of kmalloc cache, if it is one (`enum kmalloc_cache_type`).
    public enum KmallocType: Int, CaseIterable, Hashable, Sendable {
        /// `kmalloc-*`.
        case normal = 0
        /// `kmalloc-cg-*`: `__GFP_ACCOUNT`.
        case cgroup = 1
        /// `kmalloc-rcl-*`: `__GFP_RECLAIMABLE`.
        case reclaim = 2
        /// `dma-kmalloc-*`: `__GFP_DMA`.
        case dma = 3

        /// The name prefix.
        public var prefix: String {
            switch self {
            case .normal: return "kmalloc-"
            case .cgroup: return "kmalloc-cg-"
            case .reclaim: return "kmalloc-rcl-"
            case .dma: return "dma-kmalloc-"
            }
        }
    }

    /// Flags that change how the cache gets its pages.
    public struct Flags: OptionSet, Hashable, Sendable {
        /// Raw bits.
        public let rawValue: UInt8
        /// Wraps raw bits.
        public init(rawValue: UInt8) { self.rawValue = rawValue }
        /// `SLAB_RECLAIM_ACCOUNT`: pages are Reclaimable (`__GFP_RECLAIMABLE`).
        public static let reclaimAccount = Flags(rawValue: 1)
        /// `SLAB_ACCOUNT`: objects are charged to the memory cgroup.
        public static let account = Flags(rawValue: 2)
        /// `SLAB_CACHE_DMA`: pages come from ZONE_DMA.
        public static let dma = Flags(rawValue: 4)
        /// `SLAB_HWCACHE_ALIGN`.
        public static let hardwareCacheAlign = Flags(rawValue: 8)
    }

    /// Index in the machine's cache table.
    public let id: CacheID
    /// The name slabinfo prints.
    public internal(set) var name: String
    /// `object_size`: what the creator asked for.
    public let objectSize: Int
    /// The alignment.
    public let align: Int
    /// Slot size, orders, objects per slab.
    public let geometry: SlabGeometry
    /// Creation flags.
    public let flags: Flags
    /// Set for kmalloc caches.
    public let kmallocType: KmallocType?
    /// `reciprocal_value(size)`: ceil(2^32 / size), so that slot = offset * r >> 32 for offsets below 64 KiB.
    @usableFromInline let reciprocalSize: UInt64

    /// The counters that change with every allocation, kept together (and reference-free) so the
    /// hot path updates them in one access.
    struct Counters: Hashable, Sendable {
        var slabCount = 0
        var totalObjects = 0
        var slabPages = 0
        var objectsInUse = 0
        var partialFreeObjects = 0
        var partialCount = 0
        var emptySlabs = 0
        var fullSlabs = 0

        /// A slab of `objects` objects and 2^`order` pages joins the cache (`inc_slabs_node()`).
        mutating func addSlab(objects: Int, order: Int) {
            slabCount += 1
            totalObjects += objects
            slabPages += 1 << order
        }

        /// A slab of `objects` objects and 2^`order` pages leaves the cache (`dec_slabs_node()`).
        mutating func removeSlab(objects: Int, order: Int) {
            slabCount -= 1
            totalObjects -= objects
            slabPages -= 1 << order
        }
    }
    var counters = Counters()

    /// Slabs of this cache.
    public var slabCount: Int { counters.slabCount }
    /// Objects handed out.
    public var objectsInUse: Int { counters.objectsInUse }
    /// Free objects in slabs on the node partial list (slabinfo counts the rest as active).
    public var partialFreeObjects: Int { counters.partialFreeObjects }
    /// Slabs on the node partial list.
    public var partialCount: Int { counters.partialCount }
    /// Empty slabs (all objects free), wherever they are.
    public var emptySlabs: Int { counters.emptySlabs }
    /// Full slabs.
    public var fullSlabs: Int { counters.fullSlabs }
    /// Head of the node partial list (slab index), -1 when empty.
    var partialHead: Int32 = -1
    /// Tail of the node partial list.
    var partialTail: Int32 = -1

    init(id: CacheID, name: String, objectSize: Int, align: Int, geometry: SlabGeometry, flags: Flags,
         kmallocType: KmallocType?, cpus: Int) {
        self.id = id
        self.name = name
        self.objectSize = objectSize
        self.align = align
        self.geometry = geometry
        self.flags = flags
        self.kmallocType = kmallocType
        self.reciprocalSize = ((1 << 32) + UInt64(geometry.size) - 1) / UInt64(geometry.size)
        // set_cpu_partial(): an object budget by slot size, kept as whole slabs (slub_set_cpu_partial()).
        let budget = geometry.size >= Page.size ? 6 : geometry.size >= 1024 ? 24 : geometry.size >= 256 ? 52 : 120
        self.cpuPartialSlabs = (budget * 2 + geometry.objectsPerSlab - 1) / max(geometry.objectsPerSlab, 1)
    }

    /// `s->cpu_partial_slabs`: how many slabs a CPU's partial list holds before it goes to the node list.
    public internal(set) var cpuPartialSlabs: Int

    /// `num_objs`: every slot of every slab. SLUB adds each slab's own object count to the node's
    /// `total_objects` when the slab is made and subtracts it when the slab goes
    /// (`inc_slabs_node()` / `dec_slabs_node()` in `mm/slub.c`), so a slab allocated at the
    /// minimum order counts what it really holds, not the preferred objects-per-slab.
    public var totalObjects: Int { counters.totalObjects }

    /// Pages held by this cache's slabs, each slab at the order it was really allocated.
    public var slabPages: Int { counters.slabPages }

    /// `active_objs` as SLUB reports it: every slot except the free ones on the node partial list.
    public var activeObjects: Int { totalObjects - partialFreeObjects }

    /// The slab line of `/proc/slabinfo`.
    public var slabinfoLine: String {
        padRight(name, 17) + " " + pad(String(activeObjects), 6) + " " + pad(String(totalObjects), 6) + " "
            + pad(String(geometry.size), 6) + " " + pad(String(geometry.objectsPerSlab), 4) + " "
            + pad(String(1 << geometry.order), 4) + " : tunables " + pad("0", 4) + " " + pad("0", 4) + " " + pad("0", 4)
            + " : slabdata " + pad(String(slabCount), 6) + " " + pad(String(slabCount), 6) + " " + pad("0", 6)
    }
}
