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
    public init(rawValue: UInt32) { self.rawValue = rawValue }

    /// `__GFP_DMA`: the allocation must come from ZONE_DMA (below 16 MiB).
    public static let dma = GFPFlags(rawValue: 0x1)
    /// `__GFP_HIGHMEM`: highmem may be used (no effect on x86_64).
    public static let highMem = GFPFlags(rawValue: 0x2)
    /// `__GFP_DMA32`: the allocation must come from ZONE_DMA32 or below (below 4 GiB).
    public static let dma32 = GFPFlags(rawValue: 0x4)
    /// `__GFP_MOVABLE`: the page can be migrated (migratetype Movable).
    public static let movable = GFPFlags(rawValue: 0x8)
    /// `__GFP_RECLAIMABLE`: slab pages that a shrinker can free (migratetype Reclaimable).
    public static let reclaimable = GFPFlags(rawValue: 0x10)
    /// `__GFP_HIGH`: high priority; may use half of the min watermark reserve.
    public static let high = GFPFlags(rawValue: 0x20)
    /// `__GFP_IO`: reclaim may start physical I/O.
    public static let io = GFPFlags(rawValue: 0x40)
    /// `__GFP_FS`: reclaim may call into filesystems.
    public static let fs = GFPFlags(rawValue: 0x80)
    /// `__GFP_ZERO`: return zeroed memory.
    public static let zero = GFPFlags(rawValue: 0x100)
    /// `__GFP_ATOMIC` (6.1 only; removed in 6.3): the caller cannot sleep and is high priority.
    public static let atomicBit = GFPFlags(rawValue: 0x200)
    /// `__GFP_DIRECT_RECLAIM`: the caller may enter direct reclaim, so it may sleep.
    public static let directReclaim = GFPFlags(rawValue: 0x400)
    /// `__GFP_KSWAPD_RECLAIM`: wake kswapd when a zone falls below its low watermark.
    public static let kswapdReclaim = GFPFlags(rawValue: 0x800)
    /// `__GFP_WRITE`: the page will be dirtied.
    public static let write = GFPFlags(rawValue: 0x1000)
    /// `__GFP_NOWARN`: do not print the allocation-failure warning.
    public static let noWarn = GFPFlags(rawValue: 0x2000)
    /// `__GFP_RETRY_MAYFAIL`: retry hard, but fail rather than OOM-kill.
    public static let retryMayFail = GFPFlags(rawValue: 0x4000)
    /// `__GFP_NOFAIL`: the caller cannot handle failure; the kernel loops forever.
    public static let noFail = GFPFlags(rawValue: 0x8000)
    /// `__GFP_NORETRY`: one light attempt at reclaim, then fail.
    public static let noRetry = GFPFlags(rawValue: 0x10000)
    /// `__GFP_MEMALLOC`: may use all reserves (memory-freeing paths only).
    public static let memalloc = GFPFlags(rawValue: 0x20000)
    /// `__GFP_COMP`: a compound page (folio) of 2^order pages.
    public static let comp = GFPFlags(rawValue: 0x40000)
    /// `__GFP_NOMEMALLOC`: never use the emergency reserves.
    public static let noMemalloc = GFPFlags(rawValue: 0x80000)
    /// `__GFP_HARDWALL`: enforce the cpuset memory policy.
    public static let hardwall = GFPFlags(rawValue: 0x100000)
    /// `__GFP_THISNODE`: no fallback to other NUMA nodes.
    public static let thisNode = GFPFlags(rawValue: 0x200000)
    /// `__GFP_ACCOUNT`: charge to the memory cgroup (kmalloc picks a `kmalloc-cg-*` cache).
    public static let account = GFPFlags(rawValue: 0x400000)
    /// `__GFP_ZEROTAGS`: zero memory tags (arm64 MTE only).
    public static let zeroTags = GFPFlags(rawValue: 0x800000)

    /// `__GFP_RECLAIM`: direct and kswapd reclaim.
    public static let reclaim: GFPFlags = [.directReclaim, .kswapdReclaim]
    /// `GFP_KERNEL`: the normal kernel allocation; may sleep, reclaim, do I/O and call filesystems.
    public static let kernel: GFPFlags = [.reclaim, .io, .fs]
    /// `GFP_KERNEL_ACCOUNT`: `GFP_KERNEL` charged to the memory cgroup.
    public static let kernelAccount: GFPFlags = [.kernel, .account]
    /// `GFP_NOIO`: may reclaim but start no I/O.
    public static let noIO: GFPFlags = .reclaim
    /// `GFP_NOFS`: may reclaim and do I/O, but not call filesystems.
    public static let noFS: GFPFlags = [.reclaim, .io]
    /// `GFP_USER`: user-space allocation the kernel also touches.
    public static let user: GFPFlags = [.reclaim, .io, .fs, .hardwall]
    /// `GFP_HIGHUSER`: `GFP_USER` plus highmem.
    public static let highUser: GFPFlags = [.user, .highMem]
    /// `GFP_HIGHUSER_MOVABLE`: page cache and anonymous memory.
    public static let highUserMovable: GFPFlags = [.highUser, .movable]
    /// `GFP_TRANSHUGE_LIGHT`: a transparent huge page attempt that does not reclaim.
    public static let transHugeLight = GFPFlags(rawValue: 0x1c20ca)
    /// `GFP_TRANSHUGE`: a transparent huge page attempt with direct reclaim.
    public static let transHuge = GFPFlags(rawValue: 0x1c24ca)

    /// `GFP_ATOMIC` of the given kernel: 0xa20 in 6.1 (with `__GFP_ATOMIC`), 0x820 in 6.18.
    public static func atomic(_ kernel: KernelVersion) -> GFPFlags {
        kernel == .v6_1 ? [.high, .atomicBit, .kswapdReclaim] : [.high, .kswapdReclaim]
    }

    /// `GFP_NOWAIT` of the given kernel: 0x800 in 6.1; 6.18 adds `__GFP_NOWARN` (0x2800).
    public static func noWait(_ kernel: KernelVersion) -> GFPFlags {
        kernel == .v6_1 ? [.kswapdReclaim] : [.kswapdReclaim, .noWarn]
    }
}
