/// One area of the vmalloc range (`struct vmap_area` with its `vm_struct`).
///
/// # Invariants
/// - `size` includes the guard page (unless `hasGuard` is false) and is a multiple of `PAGE_SIZE`.
/// - A busy area's `pages` are order-0 frames owned by `.vmalloc`; a lazily freed area has none.
public struct VmapArea: Hashable, Sendable {
    /// First byte.
    public let start: VirtualAddress
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
    public var end: VirtualAddress { start.advanced(by: size) }

    /// Creates a busy area.
    public init(start: VirtualAddress, size: Int, align: Int, requested: Int, pages: [Int32], caller: CallSite) {
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
