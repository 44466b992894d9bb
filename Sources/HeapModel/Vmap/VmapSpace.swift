/// The vmalloc address range and lazy-purge bookkeeping of a machine.
public struct VmapSpace: Sendable {
    /// `VMALLOC_START`.
    public let start: VirtualAddress
    /// `VMALLOC_END` (inclusive, as the kernel defines it).
    public let end: VirtualAddress
    /// Areas, busy and lazily freed, sorted by start.
    ///
    /// # Invariants
    /// `spans[i]` is `areas[i]`'s range: areas join and leave only through ``insert(_:)``,
    /// ``remove(at:)`` and ``removeLazilyFreed()`` (an area's start and size never change).
    public internal(set) var areas: [VmapArea] = []
    /// Each area's `[start, end)`, in the same order: the free-space search walks these 16-byte
    /// records instead of the areas (whose page arrays it would retain and release one by one).
    private var spans: [Span] = []
    /// The last answer of ``lowestFit(size:align:)`` for each size and alignment since an area
    /// last left: areas only joined since, so free space only shrank and the lowest fit cannot lie
    /// lower. A search starts there instead of at `start`.
    ///
    /// # Invariants
    /// Emptied whenever an area leaves (``remove(at:)``, ``removeLazilyFreed()``). Not part of the
    /// value: two spaces with the same areas are equal whatever they were asked.
    private var lastFits: [FitKey: UInt64] = [:]

    /// The start of the area ``pageSlot(of:)`` last found a frame in: the frames a replay moves
    /// come from few areas, and the search reads every busy area's pages in address order. A
    /// hint only (checked, and not part of the value): a frame backs one busy area at most, so
    /// finding it there is finding the first.
    private var lastPageArea: UInt64 = 0

    private struct FitKey: Hashable, Sendable {
        var size: Int
        var align: Int
    }

    private struct Span: Hashable, Sendable {
        var start: UInt64
        var end: UInt64
    }
    /// `vmap_lazy_nr`: pages (guard pages included) of lazily freed areas.
    public internal(set) var lazyPages = 0
    /// `lazy_max_pages()`: `fls(num_online_cpus()) * 32 MiB / PAGE_SIZE`.
    public let lazyMaxPages: Int

    /// x86_64 4-level defaults: 0xffffc90000000000, 32 TiB.
    public static let defaultStart = VirtualAddress(0xffff_c900_0000_0000)
    /// End of the default range.
    public static let defaultEnd = VirtualAddress(0xffff_e8ff_ffff_ffff)

    init(cpus: Int) {
        start = VmapSpace.defaultStart
        end = VmapSpace.defaultEnd
        lazyMaxPages = SlabGeometry.fls(max(cpus, 1)) * ((32 << 20) / Page.size)
    }

    /// The index of the area starting exactly at `address`, if any.
    public func areaIndex(startingAt address: VirtualAddress) -> Int? {
        var lo = 0, hi = areas.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if spans[mid].start < address.rawValue { lo = mid + 1 } else { hi = mid }
        }
        return lo < spans.count && spans[lo].start == address.rawValue ? lo : nil
    }

    /// The index of the area containing `address`, if any.
    public func areaIndex(containing address: VirtualAddress) -> Int? {
        var lo = 0, hi = areas.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if spans[mid].end <= address.rawValue { lo = mid + 1 } else { hi = mid }
        }
        return lo < spans.count && spans[lo].start <= address.rawValue && address.rawValue < spans[lo].end ? lo : nil
    }

    /// `find_vmap_lowest_match()`: the lowest address where `size` bytes aligned to `align` fit
    /// between existing areas (busy or waiting for purge).
    ///
    /// The walk in address order leaves the candidate at the lowest aligned address whose `size`
    /// bytes meet no area, so it may start from any address known to be at or below that one,
    /// past the areas ending there: the last answer for the same size and alignment, while no area
    /// has left since (see `lastFits`).
    /// - Complexity: O(areas) after an area left, over 16-byte records; then O(areas passed since
    ///   the last answer).
    mutating func lowestFit(size: Int, align: Int) -> VirtualAddress? {
        let a = UInt64(align), end = end.rawValue, length = UInt64(size)
        let mask = a & (a &- 1) == 0 ? ~(a &- 1) : 0
        // Alignments are powers of two (pages and larger); any other is rounded by division.
        func rounded(_ x: UInt64) -> UInt64 { mask != 0 ? (x &+ a &- 1) & mask : (x + a - 1) / a * a }
        let key = FitKey(size: size, align: align)
        var candidate = rounded(start.rawValue)
        var first = 0
        if let last = lastFits[key], last > candidate {
            candidate = last
            // The first area ending above the last answer; those before it end at or below it.
            var lo = 0, hi = spans.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if spans[mid].end <= last { lo = mid + 1 } else { hi = mid }
            }
            first = lo
        }
        spans.withUnsafeBufferPointer { spans in
            for span in spans[first...] {
                if candidate + length <= span.start { break }
                if span.end > candidate { candidate = rounded(span.end) }
            }
        }
        guard candidate <= end, end - candidate + 1 >= length else { return nil }
        if lastFits.count < 64 || lastFits[key] != nil { lastFits[key] = candidate }
        return VirtualAddress(candidate)
    }

    /// The busy area whose pages include frame `pfn`, and the page's index in it: the first in
    /// address order (a frame backs one busy area at most).
    /// - Complexity: O(pages of the busy areas), read in place; O(pages of one area) when the
    /// frame is in the area of the last answer.
    mutating func pageSlot(of pfn: Int32) -> (area: Int, page: Int)? {
        if let a = areaIndex(startingAt: VirtualAddress(lastPageArea)), !areas[a].isLazilyFreed,
           let k = areas[a].pages.withUnsafeBufferPointer({ Self.firstIndex(of: pfn, in: $0) }) {
            return (a, k)
        }
        let found = areas.withUnsafeBufferPointer { areas -> (area: Int, page: Int)? in
            for a in areas.indices where !areas[a].isLazilyFreed {
                if let k = areas[a].pages.withUnsafeBufferPointer({ Self.firstIndex(of: pfn, in: $0) }) { return (a, k) }
            }
            return nil
        }
        if let found { lastPageArea = areas[found.area].start.rawValue }
        return found
    }

    /// The first index of `value` in `pages`: eight frames a step with one vector compare (a
    /// large area's page list is long, and the search reads every busy area's).
    static func firstIndex(of value: Int32, in pages: UnsafeBufferPointer<Int32>) -> Int? {
        guard let base = pages.baseAddress else { return nil }
        let n = pages.count, lanes = SIMD8<Int32>(repeating: value)
        var i = 0
        while i + 8 <= n {
            let hit = UnsafeRawPointer(base + i).loadUnaligned(as: SIMD8<Int32>.self) .== lanes
            if any(hit) {
                for k in 0..<8 where hit[k] { return i + k }
            }
            i += 8
        }
        while i < n {
            if pages[i] == value { return i }
            i += 1
        }
        return nil
    }

    /// Adds `area` in start order.
    /// - Precondition: it overlaps no area.
    mutating func insert(_ area: VmapArea) {
        let s = area.start.rawValue
        var lo = 0, hi = spans.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if spans[mid].start <= s { lo = mid + 1 } else { hi = mid }
        }
        areas.insert(area, at: lo)
        spans.insert(Span(start: s, end: area.end.rawValue), at: lo)
    }

    /// Removes the area at `index`.
    mutating func remove(at index: Int) {
        areas.remove(at: index)
        spans.remove(at: index)
        lastFits.removeAll(keepingCapacity: true)
    }

    /// Removes every lazily freed area (a purge).
    mutating func removeLazilyFreed() {
        areas.removeAll(where: \.isLazilyFreed)
        spans = areas.map { Span(start: $0.start.rawValue, end: $0.end.rawValue) }
        lastFits.removeAll(keepingCapacity: true)
    }
}

extension VmapSpace: Hashable {
    /// Same range, areas and lazy-purge count: the search's remembered answers are not compared.
    public static func == (lhs: VmapSpace, rhs: VmapSpace) -> Bool {
        lhs.start == rhs.start && lhs.end == rhs.end && lhs.areas == rhs.areas && lhs.lazyPages == rhs.lazyPages
            && lhs.lazyMaxPages == rhs.lazyMaxPages
    }

    /// Hashes what ``==`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(start)
        hasher.combine(end)
        hasher.combine(areas)
        hasher.combine(lazyPages)
        hasher.combine(lazyMaxPages)
    }
}
