/// The kernel's GFP ("get free pages") flags: how an allocation may behave and where it may come from.
///
/// Bit values are those of `include/linux/gfp_types.h`; bits 0–23 are the same in 6.1 and 6.18
/// except `__GFP_ATOMIC` (bit 9), which exists only in 6.1. Composite flags whose value depends on
/// the kernel (`GFP_ATOMIC`, `GFP_NOWAIT`) are reached through ``GFPFlags/atomic(_:)`` and
/// ``GFPFlags/noWait(_:)``; the rest are the same in both.
public struct GFPFlags: OptionSet, Hashable, Sendable, Codable {
    /// The raw mask, as the kernel's `gfp_t`.
    public var rawValue: UInt32
    /// Wraps a raw mask.
    @inlinable public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `__GFP_DMA`: the allocation must come from ZONE_DMA (below 16 MiB).
    @inlinable public static var dma: GFPFlags { GFPFlags(rawValue: 0x1) }
    /// `__GFP_HIGHMEM`: highmem may be used (no effect on x86_64).
    @inlinable public static var highMem: GFPFlags { GFPFlags(rawValue: 0x2) }
    /// `__GFP_DMA32`: the allocation must come from ZONE_DMA32 or below (below 4 GiB).
    @inlinable public static var dma32: GFPFlags { GFPFlags(rawValue: 0x4) }
    /// `__GFP_MOVABLE`: the page can be migrated (migratetype Movable).
    @inlinable public static var movable: GFPFlags { GFPFlags(rawValue: 0x8) }
    /// `__GFP_RECLAIMABLE`: slab pages that a shrinker can free (migratetype Reclaimable).
    @inlinable public static var reclaimable: GFPFlags { GFPFlags(rawValue: 0x10) }
    /// `__GFP_HIGH`: high priority; may use half of the min watermark reserve.
    @inlinable public static var high: GFPFlags { GFPFlags(rawValue: 0x20) }
    /// `__GFP_IO`: reclaim may start physical I/O.
    @inlinable public static var io: GFPFlags { GFPFlags(rawValue: 0x40) }
    /// `__GFP_FS`: reclaim may call into filesystems.
    @inlinable public static var fs: GFPFlags { GFPFlags(rawValue: 0x80) }
    /// `__GFP_ZERO`: return zeroed memory.
    @inlinable public static var zero: GFPFlags { GFPFlags(rawValue: 0x100) }
    /// `__GFP_ATOMIC` (6.1 only; removed in 6.3): the caller cannot sleep and is high priority.
    @inlinable public static var atomicBit: GFPFlags { GFPFlags(rawValue: 0x200) }
    /// `__GFP_DIRECT_RECLAIM`: the caller may enter direct reclaim, so it may sleep.
    @inlinable public static var directReclaim: GFPFlags { GFPFlags(rawValue: 0x400) }
    /// `__GFP_KSWAPD_RECLAIM`: wake kswapd when a zone falls below its low watermark.
    @inlinable public static var kswapdReclaim: GFPFlags { GFPFlags(rawValue: 0x800) }
    /// `__GFP_WRITE`: the page will be dirtied.
    @inlinable public static var write: GFPFlags { GFPFlags(rawValue: 0x1000) }
    /// `__GFP_NOWARN`: do not print the allocation-failure warning.
    @inlinable public static var noWarn: GFPFlags { GFPFlags(rawValue: 0x2000) }
    /// `__GFP_RETRY_MAYFAIL`: retry hard, but fail rather than OOM-kill.
    @inlinable public static var retryMayFail: GFPFlags { GFPFlags(rawValue: 0x4000) }
    /// `__GFP_NOFAIL`: the caller cannot handle failure; the kernel loops forever.
    @inlinable public static var noFail: GFPFlags { GFPFlags(rawValue: 0x8000) }
    /// `__GFP_NORETRY`: one light attempt at reclaim, then fail.
    @inlinable public static var noRetry: GFPFlags { GFPFlags(rawValue: 0x10000) }
    /// `__GFP_MEMALLOC`: may use all reserves (memory-freeing paths only).
    @inlinable public static var memalloc: GFPFlags { GFPFlags(rawValue: 0x20000) }
    /// `__GFP_COMP`: a compound page (folio) of 2^order pages.
    @inlinable public static var comp: GFPFlags { GFPFlags(rawValue: 0x40000) }
    /// `__GFP_NOMEMALLOC`: never use the emergency reserves.
    @inlinable public static var noMemalloc: GFPFlags { GFPFlags(rawValue: 0x80000) }
    /// `__GFP_HARDWALL`: enforce the cpuset memory policy.
    @inlinable public static var hardwall: GFPFlags { GFPFlags(rawValue: 0x100000) }
    /// `__GFP_THISNODE`: no fallback to other NUMA nodes.
    @inlinable public static var thisNode: GFPFlags { GFPFlags(rawValue: 0x200000) }
    /// `__GFP_ACCOUNT`: charge to the memory cgroup (kmalloc picks a `kmalloc-cg-*` cache).
    @inlinable public static var account: GFPFlags { GFPFlags(rawValue: 0x400000) }
    /// `__GFP_ZEROTAGS`: zero memory tags (arm64 MTE only).
    @inlinable public static var zeroTags: GFPFlags { GFPFlags(rawValue: 0x800000) }

    /// `__GFP_RECLAIM`: direct and kswapd reclaim.
    @inlinable public static var reclaim: GFPFlags { GFPFlags(rawValue: 0xc00) }
    /// `GFP_KERNEL`: the normal kernel allocation; may sleep, reclaim, do I/O and call filesystems.
    @inlinable public static var kernel: GFPFlags { GFPFlags(rawValue: 0xcc0) }
    /// `GFP_KERNEL_ACCOUNT`: `GFP_KERNEL` charged to the memory cgroup.
    @inlinable public static var kernelAccount: GFPFlags { GFPFlags(rawValue: 0x400cc0) }
    /// `GFP_NOIO`: may reclaim but start no I/O.
    @inlinable public static var noIO: GFPFlags { GFPFlags(rawValue: 0xc00) }
    /// `GFP_NOFS`: may reclaim and do I/O, but not call filesystems.
    @inlinable public static var noFS: GFPFlags { GFPFlags(rawValue: 0xc40) }
    /// `GFP_USER`: user-space allocation the kernel also touches.
    @inlinable public static var user: GFPFlags { GFPFlags(rawValue: 0x100cc0) }
    /// `GFP_HIGHUSER`: `GFP_USER` plus highmem.
    @inlinable public static var highUser: GFPFlags { GFPFlags(rawValue: 0x100cc2) }
    /// `GFP_HIGHUSER_MOVABLE`: page cache and anonymous memory.
    @inlinable public static var highUserMovable: GFPFlags { GFPFlags(rawValue: 0x100cca) }
    /// `GFP_TRANSHUGE_LIGHT`: a transparent huge page attempt that does not reclaim.
    @inlinable public static var transHugeLight: GFPFlags { GFPFlags(rawValue: 0x1c20ca) }
    /// `GFP_TRANSHUGE`: a transparent huge page attempt with direct reclaim.
    @inlinable public static var transHuge: GFPFlags { GFPFlags(rawValue: 0x1c24ca) }

    /// `GFP_ATOMIC` of the given kernel: 0xa20 in 6.1 (with `__GFP_ATOMIC`), 0x820 in 6.18.
    public static func atomic(_ kernel: KernelVersion) -> GFPFlags {
        kernel.hasAtomicGFPBit ? [.high, .atomicBit, .kswapdReclaim] : [.high, .kswapdReclaim]
    }

    /// `GFP_NOWAIT` of the given kernel: 0x800 in 6.1; 6.18 adds `__GFP_NOWARN` (0x2800).
    public static func noWait(_ kernel: KernelVersion) -> GFPFlags {
        kernel.noWaitIncludesNoWarn ? [.kswapdReclaim, .noWarn] : [.kswapdReclaim]
    }
}
