/// One line of `/proc/vmallocinfo`: a vmap area, its caller and what backs it.
///
/// `mm/vmalloc.c` prints the range, the size (guard page included), the caller, then
/// `pages=` for areas with a page array, `phys=` for ioremaps, the flag words (`ioremap`,
/// `vmalloc`, `vmap`, `user`, `vpages` when the page array itself was vmalloc'd, `sparse`,
/// `dma-coherent`) and the pages per node. Areas freed lazily and not yet purged print as
/// `unpurged vm_area`, vm_map_ram areas as `vm_map_ram`, with no caller.
public struct VmallocArea: Hashable, Sendable {
    /// The first address.
    public var start: UInt64
    /// The address after the last (the guard page included).
    public var end: UInt64
    /// The size in bytes as printed (end − start).
    public var size: Int
    /// The caller as `%pS` prints it (`kernel_clone+0xbf/0x430`, with ` [module]` when in one);
    /// nil when none is printed.
    public var caller: String?
    /// `pages=`: the pages backing the area; nil when the line has none (vmap, ioremap, unpurged).
    public var pages: Int?
    /// `phys=`: the physical address of an ioremap; nil when absent.
    public var physicalAddress: UInt64?
    /// The kind words in the order printed; `unpurged vm_area` is one kind.
    public var kinds: [String]
    /// `N<node>=<pages>` pairs, in the order printed.
    public var nodePages: [NodePages]

    /// An area.
    ///
    /// - Parameters:
    ///   - start: First address.
    ///   - end: Address after the last.
    ///   - size: Size in bytes.
    ///   - caller: The caller, if printed.
    ///   - pages: `pages=`, if printed.
    ///   - physicalAddress: `phys=`, if printed.
    ///   - kinds: The kind words.
    ///   - nodePages: Pages per node.
    public init(start: UInt64, end: UInt64, size: Int, caller: String?, pages: Int?, physicalAddress: UInt64?,
                kinds: [String], nodePages: [NodePages] = []) {
        self.start = start
        self.end = end
        self.size = size
        self.caller = caller
        self.pages = pages
        self.physicalAddress = physicalAddress
        self.kinds = kinds
        self.nodePages = nodePages
    }

    /// True for an area freed but not yet purged (`unpurged vm_area`).
    public var isUnpurged: Bool { kinds.contains(VmallocArea.unpurgedKind) }

    /// The kind of a lazily freed, unpurged area.
    public static let unpurgedKind = "unpurged vm_area"
}
