/// The end-state comparison: how far memtop's `/proc` state is from a real kernel's.
///
/// Built from two ``ProcState`` values, typically a bundle's `end/` and memtop's rendering after
/// replaying the bundle's trace from `start/`. Each row holds the real value, memtop's, the
/// deviation in percent of the real value and the tolerance; rows are sorted worst first (by
/// ``ComparisonRow/severity``, the difference as a multiple of what the tolerance allows).
///
/// The rows and their tolerances:
/// - free pages per zone, from buddyinfo (sum of count × 2^order): 2 %;
/// - free pages in blocks of order ≥ 3 per zone, from buddyinfo: 10 %;
/// - pagetypeinfo's free blocks per zone, migratetype and order: 10 % or ±8 blocks, whichever is
///   larger. These rows are *reported*: they show where the free lists differ but do not decide
///   the verdict. Orders where both sides have 0 blocks are left out;
/// - total slab pages (slabinfo's sum of `num_slabs × pagesperslab`): 5 %;
/// - for every cache with at least ``minimumCacheObjects`` (100) active objects in the real
///   slabinfo, its `active_objs`, `num_objs` and `num_slabs` under the real name, 10 % each, also
///   reported only. A cache *passes* when its `active_objs` is within 10 %; the verdict requires at
///   least ``requiredCachePassFraction`` (90 %) of them to pass. Caches absent from memtop's
///   slabinfo count as 0 there and are listed in ``missingCaches``. A name printed twice in
///   memtop's slabinfo is listed in ``duplicateCacheNames`` (the kernel prints each cache once)
///   and fails the verdict; the first row of that name is the one compared;
/// - vmallocinfo: the number of areas that print `pages=`, and their pages: 5 % each.
///
/// A file absent on either side (pagetypeinfo, vmallocinfo) skips its rows; ``skipped`` says which.
/// zoneinfo is not compared: free pages come from buddyinfo, which both sides always have.
///
/// # Invariants
/// `rows` is sorted by descending severity, ties in the order the rows were built (zones, then
/// pagetypeinfo, slabs, caches, vmalloc).
public struct StateComparison: Hashable, Sendable {
    /// The rows, worst first.
    public var rows: [ComparisonRow]
    /// Caches with at least ``minimumCacheObjects`` active objects in the real slabinfo.
    public var cachesCompared: Int
    /// Of those, the caches whose `active_objs` in memtop's slabinfo is within 10 %.
    public var cachesPassing: Int
    /// Compared caches with no row in memtop's slabinfo, in the real file's order.
    public var missingCaches: [String]
    /// Names printed more than once in memtop's slabinfo, in order of first appearance.
    public var duplicateCacheNames: [String]
    /// Files whose rows were skipped because one side lacks them.
    public var skipped: [SkippedComparison]

    /// The smallest real `active_objs` for a cache to be compared on its own.
    public static let minimumCacheObjects = 100
    /// The fraction of compared caches that must pass.
    public static let requiredCachePassFraction = 0.9
    /// The smallest order counted by ``ComparisonMetric/highOrderFreePages(node:zone:)``.
    public static let highOrder = 3

    /// The fraction of compared caches that pass; 1 when no cache is compared.
    public var cachePassFraction: Double {
        cachesCompared == 0 ? 1 : Double(cachesPassing) / Double(cachesCompared)
    }

    /// The verdict: every row that counts toward it is within tolerance, at least 90 % of the
    /// compared caches pass, and memtop's slabinfo names no cache twice.
    ///
    /// - Complexity: O(rows).
    public var allWithinTolerance: Bool {
        rows.allSatisfy { !$0.countsTowardVerdict || $0.isWithinTolerance }
            && cachePassFraction >= Self.requiredCachePassFraction && duplicateCacheNames.isEmpty
    }

    /// Compares memtop's state with the real one.
    ///
    /// - Parameters:
    ///   - real: The real kernel's state (a bundle's `end/`).
    ///   - memtop: memtop's state, parsed from its rendered files.
    /// - Complexity: O(zones × orders × migratetypes + caches + areas), plus sorting the rows.
    public init(real: ProcState, memtop: ProcState) {
        var rows: [ComparisonRow] = []
        rows += Self.buddyRows(real.buddyinfo, memtop.buddyinfo)
        var skipped: [SkippedComparison] = []
        if let realTypes = real.pagetypeinfo, let memtopTypes = memtop.pagetypeinfo {
            rows += Self.freeBlockRows(realTypes, memtopTypes)
        } else {
            skipped.append(SkippedComparison(file: .pagetypeinfo, absentFromReal: real.pagetypeinfo == nil,
                                             absentFromMemtop: memtop.pagetypeinfo == nil))
        }
        if let realLists = real.pcp, let memtopLists = memtop.pcp { rows += Self.perCPURows(realLists, memtopLists) }
        let slabs = Self.slabComparison(real.slabinfo, memtop.slabinfo)
        rows += slabs.rows
        if let realAreas = real.vmallocinfo, let memtopAreas = memtop.vmallocinfo {
            rows += Self.vmallocRows(realAreas, memtopAreas)
        } else {
            skipped.append(SkippedComparison(file: .vmallocinfo, absentFromReal: real.vmallocinfo == nil,
                                             absentFromMemtop: memtop.vmallocinfo == nil))
        }
        // INVARIANT: worst first, ties in build order.
        self.rows = rows.enumerated().sorted { a, b in
            a.element.severity != b.element.severity ? a.element.severity > b.element.severity : a.offset < b.offset
        }.map(\.element)
        cachesCompared = slabs.compared
        cachesPassing = slabs.passing
        missingCaches = slabs.missing
        duplicateCacheNames = slabs.duplicates
        self.skipped = skipped
    }
}
