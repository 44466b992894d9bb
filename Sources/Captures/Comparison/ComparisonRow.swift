/// One measured difference between the real state and memtop's.
public struct ComparisonRow: Hashable, Sendable {
    /// What is measured.
    public var metric: ComparisonMetric
    /// The real kernel's value.
    public var real: Int
    /// memtop's value.
    public var memtop: Int
    /// How far apart they may be.
    public var tolerance: Tolerance
    /// Whether the row decides ``StateComparison/allWithinTolerance`` (true), or is reported for
    /// information only (pagetypeinfo's per-order rows and the per-cache rows, whose verdict is
    /// the pass fraction).
    public var countsTowardVerdict: Bool

    /// A row.
    ///
    /// - Parameters:
    ///   - metric: What is measured.
    ///   - real: The real value.
    ///   - memtop: memtop's value.
    ///   - tolerance: The tolerance.
    ///   - countsTowardVerdict: Whether the row decides the verdict.
    public init(metric: ComparisonMetric, real: Int, memtop: Int, tolerance: Tolerance, countsTowardVerdict: Bool) {
        self.metric = metric
        self.real = real
        self.memtop = memtop
        self.tolerance = tolerance
        self.countsTowardVerdict = countsTowardVerdict
    }

    /// memtop − real.
    public var difference: Int { memtop - real }

    /// 100 × (memtop − real) / real, signed; 0 when both are 0; nil when only the real value is 0
    /// (no percentage describes something from nothing).
    public var deviationPercent: Double? {
        if real == 0 { return memtop == 0 ? 0 : nil }
        return 100 * Double(difference) / Double(real)
    }

    /// Whether memtop's value is within the tolerance of the real one.
    public var isWithinTolerance: Bool { tolerance.allows(real: real, memtop: memtop) }

    /// The difference as a multiple of the allowed difference: above 1 fails. Infinite when no
    /// difference is allowed (real 0, no absolute slack) and there is one. Rows sort by it.
    public var severity: Double {
        let allowed = tolerance.allowedDifference(real: real)
        if allowed == 0 { return difference == 0 ? 0 : .infinity }
        return Double(difference.magnitude) / allowed
    }
}
