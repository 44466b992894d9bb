/// The behaviours that differ between the modelled kernels, each named once, with where it changed.
extension KernelVersion {
    /// `__GFP_ATOMIC` (0x200) exists and grants `ALLOC_HARDER`; removed in 6.3, after which
    /// `GFP_ATOMIC` is `__GFP_HIGH|__GFP_KSWAPD_RECLAIM` and "high and non-blocking" gets the
    /// atomic reserve (`gfp_to_alloc_flags()`, `include/linux/gfp_types.h`).
    public var hasAtomicGFPBit: Bool { self == .v6_1 }

    /// `GFP_NOWAIT` includes `__GFP_NOWARN` (6.12 and 6.18 `include/linux/gfp_types.h`; 6.1 has
    /// `__GFP_KSWAPD_RECLAIM` alone).
    public var noWaitIncludesNoWarn: Bool { self != .v6_1 }

    /// Migratetype fallback is split into `__rmqueue_claim()` (a whole pageblock or nothing) and
    /// `__rmqueue_steal()` (the smallest block, no type change): upstream 6.15 ("don't steal single
    /// pages from biggest buddy"), backported to 6.12.y between 6.12.21 and 6.12.29, so Debian's
    /// 6.12 has it; 6.1 keeps the single `__rmqueue_fallback()`.
    public var splitsFallbackIntoClaimAndSteal: Bool { self != .v6_1 }

    /// A per-CPU list's `high` moves between `high_min` and `high_max`: frees count in
    /// `free_count` (halved by each allocation), a second high-order free in a row with
    /// `free_count >= batch` drains up to `batch << 5` pages, a drain frees `free_count` pages
    /// (within `batch ... high - batch`), and refills grow by `alloc_factor` (upstream 6.7, "mm,
    /// pcp: ..." series; 6.12 and 6.18 `free_unref_page_commit()`, `nr_pcp_high()`, `nr_pcp_free()`,
    /// `nr_pcp_alloc()`). 6.1 has one `high` and `free_factor`.
    public var adaptsPerCPUHigh: Bool { self != .v6_1 }

    /// `calculate_order()` computes one minimum order from `min_objects` and tries leftover
    /// fractions 16, 8, 4, 2 from it (6.12 and 6.18 `mm/slub.c`); 6.1 loops `min_objects` down with
    /// fractions 16, 8, 4.
    public var searchesSlabOrderFromOneMinimum: Bool { self != .v6_1 }

    /// `s->allocflags` always has `__GFP_COMP` (6.12 and 6.18 `calculate_sizes()`); 6.1 adds it
    /// only when the preferred order is above 0.
    public var slabPagesAlwaysCompound: Bool { self != .v6_1 }

    /// `create_kmalloc_caches()` creates types normal, rcl, dma, cg with 96 and 192 first in each
    /// (6.12 and 6.18); 6.1 creates normal, cg, rcl, dma with 96 after 64 and 192 after 128.
    public var createsOddKmallocClassesFirst: Bool { self != .v6_1 }

    /// CONFIG_SLAB_BUCKETS (6.11+): `kmalloc_buckets` is created after the kmalloc caches.
    public var hasKmallocBuckets: Bool { self != .v6_1 }

    /// kvmalloc's kmalloc attempt above a page drops `__GFP_DIRECT_RECLAIM` unless
    /// `__GFP_RETRY_MAYFAIL` (6.18 `kmalloc_gfp_adjust()` in `mm/slub.c`); 6.1 and 6.12 add
    /// `__GFP_NORETRY` instead (`mm/util.c`).
    public var kvmallocDropsDirectReclaim: Bool { self == .v6_18 }

    /// kvmalloc, kvrealloc and vrealloc take an alignment (6.18's `*_node_align` forms); 6.1 and
    /// 6.12 always ask vmalloc for alignment 1.
    public var kvmallocTakesAlign: Bool { self == .v6_18 }
    /// The Rust `Kmalloc` passes its alignment to krealloc (`krealloc_node_align()`, 6.18): a
    /// live object at an address that is not aligned to it moves (`__do_krealloc` in 6.18's
    /// `mm/slub.c`). Before, krealloc took no alignment and kept an object in place whenever the new
    /// size fit its slot.
    public var kreallocTakesAlign: Bool { self == .v6_18 }
    /// 6.1's `krealloc_aligned()` (`rust/kernel/allocator.rs`) rounds the size up to a power of
    /// two when the alignment exceeds `ARCH_SLAB_MINALIGN`, relying on kmalloc's natural alignment
    /// of power-of-two sizes; 6.12 and 6.18 only pad the size to the alignment.
    public var rustKmallocRoundsToPowerOfTwo: Bool { self == .v6_1 }

    /// `kvrealloc(p, size, flags)` without the old size: vrealloc for vmalloc addresses, krealloc,
    /// then kvmalloc (6.12's `mm/util.c`, 6.18's `mm/slub.c`); 6.1 takes the old size from the caller.
    public var kvreallocKnowsOldSize: Bool { self != .v6_1 }
}
