/// Page-size constants of x86_64 with 4 KiB pages, the only configuration memtop models.
public enum Page {
    /// `PAGE_SHIFT`.
    @inlinable public static var shift: Int { 12 }
    /// `PAGE_SIZE` in bytes.
    @inlinable public static var size: Int { 1 << 12 }
    /// The largest buddy order: `MAX_PAGE_ORDER` in 6.8+, `MAX_ORDER - 1` in 6.1. Orders run 0...10.
    @inlinable public static var maxOrder: Int { 10 }
    /// The number of orders, `NR_PAGE_ORDERS`.
    @inlinable public static var orderCount: Int { 11 }
    /// `pageblock_order` on x86_64: 512 pages, 2 MiB.
    @inlinable public static var pageblockOrder: Int { 9 }
    /// Pages in one pageblock.
    @inlinable public static var pageblockPages: Int { 1 << 9 }
    /// `PAGE_ALLOC_COSTLY_ORDER`: orders above this give up sooner.
    @inlinable public static var costlyOrder: Int { 3 }

    /// `get_order(n)`: the smallest order whose block holds `bytes` bytes (0 for sizes up to a
    /// page, including 0 and negative sizes, as the kernel's macro gives for small values).
    public static func order(forBytes bytes: Int) -> Int {
        guard bytes > size else { return 0 }
        return Int.bitWidth - (bytes - 1).leadingZeroBitCount - shift
    }
}
