/// The vmalloc address range and lazy-purge bookkeeping of a machine.
public struct VmapSpace: Hashable, Sendable {
    /// `VMALLOC_START`.
    public let start: VirtualAddress
    /// `VMALLOC_END` (inclusive, as the kernel defines it).
    public let end: VirtualAddress
    /// Areas, busy and lazily freed, sorted by start.
    public internal(set) var areas: [VmapArea] = []
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
            if areas[mid].start < address { lo = mid + 1 } else { hi = mid }
        }
        return lo < areas.count && areas[lo].start == address ? lo : nil
    }

    /// The index of the area containing `address`, if any.
    public func areaIndex(containing address: VirtualAddress) -> Int? {
        var lo = 0, hi = areas.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if areas[mid].end <= address { lo = mid + 1 } else { hi = mid }
        }
        return lo < areas.count && areas[lo].start <= address && address < areas[lo].end ? lo : nil
    }

    /// `find_vmap_lowest_match()`: the lowest address where `size` bytes aligned to `align` fit
    /// between existing areas (busy or waiting for purge).
    /// - Complexity: O(areas).
    func lowestFit(size: Int, align: Int) -> VirtualAddress? {
        let a = UInt64(align), end = end.rawValue
        var candidate = (start.rawValue + a - 1) / a * a
        for area in areas {
            if candidate + UInt64(size) <= area.start.rawValue { break }
            if area.end.rawValue > candidate { candidate = (area.end.rawValue + a - 1) / a * a }
        }
        guard candidate <= end, end - candidate + 1 >= UInt64(size) else { return nil }
        return VirtualAddress(candidate)
    }
}
