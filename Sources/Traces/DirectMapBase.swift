/// Where the traced kernel's direct map starts, learned from the trace itself: a slab page's
/// `mm_page_alloc pfn=` followed, on the same CPU, by an object inside it gives the base
/// (`page_offset_base`, which KASLR aligns to 1 GiB).
struct DirectMapBase {
    var base: UInt64?

    /// The base a pointer implies when none is learned yet: the 1 GiB boundary below it (right for
    /// machines up to 1 GiB, and the first learned base replaces it).
    func guess(_ real: UInt64) -> UInt64 { base ?? (real & ~((1 << 30) - 1)) }

    /// Learns the base from an object at `real` in the block `pfn` of `order` just allocated.
    mutating func learn(object real: UInt64, block pfn: Int, order: Int) {
        guard base == nil else { return }
        let candidate = (real &- UInt64(pfn) << 12) & ~((1 << 30) - 1)
        let frame = (real &- candidate) >> 12
        if frame >= UInt64(pfn) && frame < UInt64(pfn + (1 << order)) { base = candidate }
    }
}
