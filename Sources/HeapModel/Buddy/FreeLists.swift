/// The buddy allocator's free lists: for each zone, order and migratetype, a doubly linked list of
/// free blocks threaded through per-frame links, as the kernel threads them through `struct page`.
///
/// # Invariants
/// - `head[i] == -1` iff `tail[i] == -1` iff `count[i] == 0`.
/// - Following `next` from `head[i]` visits `count[i]` blocks and ends at `tail[i]`; `prev` mirrors it.

internal struct FreeLists: Equatable, Sendable {
    /// Migratetypes with lists (Unmovable, Movable, Reclaimable, HighAtomic, Isolate).
    static let typeCount = MigrateType.allCases.count

    var head: [Int32]
    var tail: [Int32]
    var count: [Int]
    /// Next free block on the same list, by head frame; -1 at the end.
    var next: [Int32]
    /// Previous free block on the same list; -1 at the start.
    var prev: [Int32]

    init(zoneCount: Int, frames: Int) {
        let lists = zoneCount * Page.orderCount * Self.typeCount
        head = Array(repeating: -1, count: lists)
        tail = Array(repeating: -1, count: lists)
        count = Array(repeating: 0, count: lists)
        next = Array(repeating: -1, count: frames)
        prev = Array(repeating: -1, count: frames)
    }

    /// The flat index of the list for (zone, order, migratetype).
    @inline(__always)
    static func index(zone: Int, order: Int, type: Int) -> Int {
        (zone &* Page.orderCount &+ order) &* typeCount &+ type
    }

    /// Puts block `pfn` at the head (or tail) of list `list`.
    
    mutating func insert(_ pfn: Int, list: Int, atTail: Bool) {
        let p = Int32(truncatingIfNeeded: pfn)
        if head[list] < 0 {
            head[list] = p; tail[list] = p; next[pfn] = -1; prev[pfn] = -1
        } else if atTail {
            let t = Int(tail[list])
            next[t] = p; prev[pfn] = Int32(t); next[pfn] = -1; tail[list] = p
        } else {
            let h = Int(head[list])
            prev[h] = p; next[pfn] = Int32(h); prev[pfn] = -1; head[list] = p
        }
        count[list] &+= 1
    }

    /// Unlinks block `pfn` from list `list`.
    /// - Precondition: `pfn` is on `list`.
    
    mutating func remove(_ pfn: Int, list: Int) {
        let n = next[pfn], p = prev[pfn]
        if p >= 0 { next[Int(p)] = n } else { head[list] = n }
        if n >= 0 { prev[Int(n)] = p } else { tail[list] = p }
        next[pfn] = -1; prev[pfn] = -1
        count[list] &-= 1
    }

    /// The blocks on list `list`, head first.
    func blocks(list: Int) -> [Int] {
        var out: [Int] = []
        var p = head[list]
        while p >= 0 { out.append(Int(p)); p = next[Int(p)] }
        return out
    }
}
