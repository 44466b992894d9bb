/// What the flags decide: zone, migratetype, whether the caller may sleep, which reserves it may use.
extension GFPFlags {
    /// The highest zone the request may use, as `gfp_zone()` decides on x86_64 (no highmem):
    /// `__GFP_DMA` gives DMA, `__GFP_DMA32` gives DMA32, anything else Normal. The allocator then
    /// falls back to lower zones.
    public var highestZone: ZoneKind {
        if contains(.dma) { return .dma }
        if contains(.dma32) { return .dma32 }
        return .normal
    }

    /// The free-list type the pages come from, as `gfp_migratetype()` computes it:
    /// `(flags & (MOVABLE|RECLAIMABLE)) >> 3`.
    public var migrateType: MigrateType {
        switch (rawValue & 0x18) >> 3 {
        case 1: return .movable
        case 2: return .reclaimable
        default: return .unmovable
        }
    }

    /// `gfpflags_allow_blocking()`: true iff `__GFP_DIRECT_RECLAIM` is set.
    public var allowsBlocking: Bool { contains(.directReclaim) }

    /// The flags as the kernel would hand them to the page allocator before the scheduler runs:
    /// `gfp_allowed_mask` strips reclaim, I/O and FS during early boot.
    public var earlyBootMasked: GFPFlags { subtracting([.reclaim, .io, .fs]) }
}
