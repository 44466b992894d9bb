/// One frame's bookkeeping, the counterpart of the fields of `struct page` memtop needs. Kept in one
/// 16-byte value so that touching a frame touches one cache line and one array.
@usableFromInline struct Frame: Equatable, Sendable {
    /// Who holds the frame.
    @usableFromInline var owner: PageOwner
    /// The order of the block this frame heads (free or allocated); -1 for tail pages and unowned frames.
    var order: Int8
    /// For a free block's head: the migratetype of the list it is on. For an allocated page: the
    /// migratetype it was allocated with. Otherwise `.unmovable`.
    var type: MigrateType
    /// Who decided where this allocated frame lies (for free frames: `.simulated`). Declared before
    /// the links so that the record packs into 16 bytes (a quarter of the memory of a 64 GiB machine).
    var placement: Placement = .simulated
    /// For the head of a block on a per-CPU page list: that list's index (``PerCPUPages/list(zone:cpu:order:type:)``);
    /// ``notOnPerCPUList`` otherwise. In the two bytes the fields above leave before the links
    /// (1,024 CPUs' lists number 36,864), so that taking a block off its list reads and writes one record.
    var perCPUList: UInt16 = Frame.notOnPerCPUList
    /// Next free block on the same list (by head frame), -1 at the end.
    var next: Int32
    /// Previous free block on the same list, -1 at the start.
    var prev: Int32

    static let notOnPerCPUList = UInt16.max

    /// A frame with no RAM behind it.
    static let absent = Frame(owner: .absent, order: -1, type: .unmovable, next: -1, prev: -1)
}
