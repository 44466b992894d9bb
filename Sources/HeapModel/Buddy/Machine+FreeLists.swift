/// Linking blocks into and out of the buddy free lists.
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
