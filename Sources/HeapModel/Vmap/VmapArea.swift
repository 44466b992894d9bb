/// One area of the vmalloc range (`struct vmap_area` with its `vm_struct`).
///
/// # Invariants
/// - `size` includes the guard page (unless `hasGuard` is false) and is a multiple of `PAGE_SIZE`.
/// - A busy area's `pages` are order-0 frames owned by `.vmalloc`; a lazily freed area has none.
public struct VmapArea: Hashable, Sendable {
    /// First byte.
    public let start: UInt64
    /// Bytes from start to end, guard page included (vmallocinfo's size column).
    public let size: Int
    /// The alignment it was placed with.
    public let align: Int
    /// Bytes the caller asked for.
    public var requested: Int
    /// The backing frames, one per small page, in address order (`nr_pages`, which vmallocinfo's
    /// `pages=` and `N0=` count in small pages even for a huge mapping).
    public var pages: [Int32]
    /// `vm_area_page_order()`: 0, or 9 when the area is mapped with 2 MiB pages (its frames then come
    /// in runs of 512 from order-9 blocks, split into small pages).
    public var pageOrder: Int = 0
    /// Where it was allocated (vmallocinfo's caller).
    public let caller: CallSite
    /// The page-pointer array itself was vmalloc'ed (vmallocinfo's `vpages`).
    public var pageArrayIsVmalloc: Bool
    /// The address of the page-pointer array (a kmalloc object or a vmalloc area).
    public var pageArray: VirtualAddress
    /// Freed, waiting for the lazy purge (`unpurged vm_area`).
    public internal(set) var isLazilyFreed: Bool
    /// Where it was freed, once freed.
    public internal(set) var freeSite: CallSite
    /// The Rust allocator type that made it; nil for the C API.
    public var rustAllocator: AllocatorKind?

    /// One past the last byte.
    public var end: UInt64 { start &+ UInt64(size) }

    /// Creates a busy area.
    public init(start: UInt64, size: Int, align: Int, requested: Int, pages: [Int32], caller: CallSite) {
        self.start = start
        self.size = size
        self.align = align
        self.requested = requested
        self.pages = pages
        self.caller = caller
        self.pageArrayIsVmalloc = false
        self.pageArray = .null
        self.isLazilyFreed = false
        self.freeSite = .unknown
    }
}

/// The vmalloc address range and lazy-purge bookkeeping of a machine.
public struct VmapSpace: Hashable, Sendable {
    /// `VMALLOC_START`.
    public let start: UInt64
    /// `VMALLOC_END` (inclusive, as the kernel defines it).
    public let end: UInt64
    /// Areas, busy and lazily freed, sorted by start.
    public internal(set) var areas: [VmapArea] = []
    /// `vmap_lazy_nr`: pages (guard pages included) of lazily freed areas.
    public internal(set) var lazyPages = 0
    /// `lazy_max_pages()`: `fls(num_online_cpus()) * 32 MiB / PAGE_SIZE`.
    public let lazyMaxPages: Int

    /// x86_64 4-level defaults: 0xffffc90000000000, 32 TiB.
    public static let defaultStart: UInt64 = 0xffff_c900_0000_0000
    /// End of the default range.
    public static let defaultEnd: UInt64 = 0xffff_e8ff_ffff_ffff

    init(cpus: Int) {
        start = VmapSpace.defaultStart
        end = VmapSpace.defaultEnd
        lazyMaxPages = SlabGeometry.fls(max(cpus, 1)) * ((32 << 20) / Page.size)
    }

    /// The index of the area starting exactly at `address`, if any.
    public func areaIndex(startingAt address: UInt64) -> Int? {
        var lo = 0, hi = areas.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if areas[mid].start < address { lo = mid + 1 } else { hi = mid }
        }
        return lo < areas.count && areas[lo].start == address ? lo : nil
    }

    /// The index of the area containing `address`, if any.
    public func areaIndex(containing address: UInt64) -> Int? {
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
    func lowestFit(size: Int, align: Int) -> UInt64? {
        let a = UInt64(align)
        var candidate = (start + a - 1) / a * a
        for area in areas {
            if candidate + UInt64(size) <= area.start { break }
            if area.end > candidate { candidate = (area.end + a - 1) / a * a }
        }
        guard candidate <= end, end - candidate + 1 >= UInt64(size) else { return nil }
        return candidate
    }
}
