/// The head of one free list: for each zone, order and migratetype, a doubly linked list of free
/// blocks threaded through `Frame.next`/`prev`, as the kernel threads them through `struct page`.
///
/// # Invariants
/// - `head == -1` iff `tail == -1` iff `count == 0`.
/// - Following `next` from `head` visits `count` blocks and ends at `tail`; `prev` mirrors it.
struct FreeList: Equatable, Sendable {
    var head: Int32 = -1
    var tail: Int32 = -1
    var count: Int = 0

    /// Migratetypes with lists (Unmovable, Movable, Reclaimable, HighAtomic, Isolate).
    static let typeCount = MigrateType.allCases.count

    /// The flat index of the list for (zone, order, migratetype).
    @inline(__always)
    static func index(zone: Int, order: Int, type: Int) -> Int {
        (zone &* Page.orderCount &+ order) &* typeCount &+ type
    }
}
