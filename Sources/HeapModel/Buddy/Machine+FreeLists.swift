/// Linking blocks into and out of the buddy free lists (and, with ``link(_:into:atTail:_:)`` and
/// ``unlink(_:from:_:)``, the per-CPU lists). Each frame is written in one access, through a writer
/// of the frame table (``ChunkedArray/withWriter(_:)``): these run for every page allocated and freed.
extension Machine {
    /// Puts block `pfn` at the head (or tail) of list `list`.
    mutating func listInsert(_ pfn: Int, list: Int, atTail: Bool) {
        linkFreeBlock(pfn, list: list, atTail: atTail) { _ in }
    }

    /// Links block `pfn` into list `list` (head, or tail when `atTail`), applying `set` to its
    /// frame in the same access as its links.
    @inline(__always)
    mutating func linkFreeBlock(_ pfn: Int, list: Int, atTail: Bool, _ set: (inout Frame) -> Void) {
        // The list head is read and written back whole: one write of the list array.
        var l = freeLists[list]
        link(pfn, into: &l, atTail: atTail, set)
        freeLists[list] = l
    }

    /// Links block `pfn` into the list headed by `l`, threaded through the frames (the buddy lists
    /// and the per-CPU lists alike), applying `set` to its frame in the same access as its links.
    @inline(__always)
    mutating func link(_ pfn: Int, into l: inout FreeList, atTail: Bool, _ set: (inout Frame) -> Void) {
        frames.withWriter { Machine.link(pfn, into: &l, atTail: atTail, frames: $0, set) }
    }

    /// Unlinks block `pfn` from list `list`.
    /// - Precondition: `pfn` is on `list`.
    mutating func listRemove(_ pfn: Int, list: Int) {
        unlinkFreeBlock(pfn, list: list) { _ in }
    }

    /// Unlinks block `pfn` from list `list`, applying `set` to its frame in the same access as
    /// clearing its links.
    /// - Precondition: `pfn` is on `list`.
    @inline(__always)
    mutating func unlinkFreeBlock(_ pfn: Int, list: Int, _ set: (inout Frame) -> Void) {
        var l = freeLists[list]
        unlink(pfn, from: &l, set)
        freeLists[list] = l
    }

    /// Unlinks block `pfn` from the list headed by `l`, applying `set` to its frame in the same
    /// access as clearing its links.
    /// - Precondition: `pfn` is on that list.
    @inline(__always)
    mutating func unlink(_ pfn: Int, from l: inout FreeList, _ set: (inout Frame) -> Void) {
        frames.withWriter { Machine.unlink(pfn, from: &l, frames: $0, set) }
    }

    /// Links block `pfn` into the list headed by `l` through writer `f` of the frames (the one
    /// implementation: ``link(_:into:atTail:_:)`` opens a writer for a single link).
    @inline(__always)
    static func link(_ pfn: Int, into l: inout FreeList, atTail: Bool, frames f: ChunkedArray<Frame>.Writer,
                     _ set: (inout Frame) -> Void) {
        let p = Int32(truncatingIfNeeded: pfn)
        if l.head < 0 {
            l.head = p; l.tail = p
            f.update(pfn) { set(&$0); $0.next = -1; $0.prev = -1 }
        } else if atTail {
            let t = l.tail
            f[Int(t)].next = p
            f.update(pfn) { set(&$0); $0.prev = t; $0.next = -1 }
            l.tail = p
        } else {
            let h = l.head
            f[Int(h)].prev = p
            f.update(pfn) { set(&$0); $0.next = h; $0.prev = -1 }
            l.head = p
        }
        l.count &+= 1
    }

    /// Unlinks block `pfn` from the list headed by `l` through writer `f` of the frames.
    /// - Precondition: `pfn` is on that list.
    @inline(__always)
    static func unlink(_ pfn: Int, from l: inout FreeList, frames f: ChunkedArray<Frame>.Writer, _ set: (inout Frame) -> Void) {
        let (n, p) = f.update(pfn) { frame in
            let links = (frame.next, frame.prev)
            set(&frame)
            frame.next = -1; frame.prev = -1
            return links
        }
        if p >= 0 { f[Int(p)].next = n } else { l.head = n }
        if n >= 0 { f[Int(n)].prev = p } else { l.tail = p }
        l.count &-= 1
    }
}
