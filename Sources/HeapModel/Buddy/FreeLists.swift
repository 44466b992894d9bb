/// One frame's bookkeeping, the counterpart of the fields of `struct page` memtop needs. Kept in one
/// 16-byte value so that touching a frame touches one cache line and one array.
struct Frame: Equatable, Sendable {
    /// Who holds the frame.
    var owner: PageOwner
    /// The order of the block this frame heads (free or allocated); -1 for tail pages and unowned frames.
    var order: Int8
    /// For a free block's head: the migratetype of the list it is on. For an allocated page: the
    /// migratetype it was allocated with. Otherwise `.unmovable`.
    var type: MigrateType
    /// Who decided where this allocated frame lies (for free frames: `.simulated`). Declared before
    /// the links so that the record packs into 16 bytes (a quarter of the memory of a 64 GiB machine).
    var placement: Placement = .simulated
    /// Next free block on the same list (by head frame), -1 at the end.
    var next: Int32
    /// Previous free block on the same list, -1 at the start.
    var prev: Int32

    /// A frame with no RAM behind it.
    static let absent = Frame(owner: .absent, order: -1, type: .unmovable, next: -1, prev: -1)
}

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

extension Machine {
    /// Puts block `pfn` at the head (or tail) of list `list`.
    mutating func listInsert(_ pfn: Int, list: Int, atTail: Bool) {
        let p = Int32(truncatingIfNeeded: pfn)
        let head = freeLists[list].head
        if head < 0 {
            freeLists[list].head = p; freeLists[list].tail = p
            frames[pfn].next = -1; frames[pfn].prev = -1
        } else if atTail {
            let t = Int(freeLists[list].tail)
            frames[t].next = p; frames[pfn].prev = Int32(t); frames[pfn].next = -1
            freeLists[list].tail = p
        } else {
            frames[Int(head)].prev = p; frames[pfn].next = head; frames[pfn].prev = -1
            freeLists[list].head = p
        }
        freeLists[list].count &+= 1
    }

    /// Unlinks block `pfn` from list `list`.
    /// - Precondition: `pfn` is on `list`.
    mutating func listRemove(_ pfn: Int, list: Int) {
        let n = frames[pfn].next, p = frames[pfn].prev
        if p >= 0 { frames[Int(p)].next = n } else { freeLists[list].head = n }
        if n >= 0 { frames[Int(n)].prev = p } else { freeLists[list].tail = p }
        frames[pfn].next = -1; frames[pfn].prev = -1
        freeLists[list].count &-= 1
    }
}
