/// How far memtop's value may be from the real one: a percentage of the real value, or an absolute
/// slack, whichever allows more.
public struct Tolerance: Hashable, Sendable, CustomStringConvertible {
    /// The allowed deviation in percent of the real value.
    public var percent: Double
    /// The allowed absolute difference (in the row's unit), used when larger than the percentage.
    public var absolute: Int

    /// A tolerance.
    ///
    /// - Parameters:
    ///   - percent: Percent of the real value.
    ///   - absolute: An absolute slack; 0 for none.
    public init(percent: Double, absolute: Int = 0) {
        self.percent = percent
        self.absolute = absolute
    }

    /// The largest difference allowed against `real`: max(percent × |real| / 100, absolute).
    ///
    /// - Parameter real: The real value.
    public func allowedDifference(real: Int) -> Double {
        max(percent * Double(real.magnitude) / 100, Double(absolute))
    }

    /// Whether `memtop` is close enough to `real`.
    ///
    /// - Parameters:
    ///   - real: The real value.
    ///   - memtop: memtop's value.
    public func allows(real: Int, memtop: Int) -> Bool {
        Double((memtop - real).magnitude) <= allowedDifference(real: real)
    }

    /// `2 %`, or `10 % or ±8` with an absolute slack.
    public var description: String {
        let base = NumberText.trimmed(percent) + " %"
        return absolute > 0 ? base + " or ±\(absolute)" : base
    }

    /// Free pages per zone: 2 %.
    public static let freePages = Tolerance(percent: 2)
    /// Free pages in blocks of order ≥ 3 per zone: 10 %.
    public static let highOrderFreePages = Tolerance(percent: 10)
    /// pagetypeinfo's free blocks per zone, migratetype and order: 10 % or ±8 blocks, whichever is
    /// larger (small counts swing by a few blocks with any allocation).
    public static let freeBlocks = Tolerance(percent: 10, absolute: 8)
    /// Pages on a zone's per-CPU lists: 25 % or ±64 pages (a list moves a batch, 63 pages, at a time).
    public static let perCPUPages = Tolerance(percent: 25, absolute: 64)
    /// Total slab pages: 5 %.
    public static let slabPages = Tolerance(percent: 5)
    /// A cache's active_objs, num_objs and num_slabs: 10 %.
    public static let cache = Tolerance(percent: 10)
    /// vmalloc areas with pages= and their pages: 5 %.
    public static let vmalloc = Tolerance(percent: 5)
}
