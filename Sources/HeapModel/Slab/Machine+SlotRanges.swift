/// The slots of all slabs, one array: ranges taken for new slabs, kept for the next slab of the
/// same length, reserved up front for a rebuilt machine.
extension Machine {
    /// Room for `count` object slots in all: a machine rebuilt from a capture knows how many
    /// objects its slabs hold, and its slots, reserved once, are not copied as they grow.
    public mutating func reserveSlots(_ count: Int) {
        slots.reserveCapacity(count)
    }

    /// Keeps the slot range at `base` of `length` slots for the next slab of that many objects.
    mutating func keepSlotRange(_ base: Int32, length: Int) {
        if length >= freeSlotRanges.count { freeSlotRanges += Array(repeating: [], count: length + 1 - freeSlotRanges.count) }
        freeSlotRanges[length].append(base)
    }

    /// A range of `count` free slots in `slots`, chained in address order as a new slab's freelist
    /// is (slot 0 is handed out first): a freed range of the same length, or new ones at the end.
    mutating func takeSlotRange(_ count: Int) -> Int {
        let chain = { (b: UnsafeMutableBufferPointer<Slot>) in
            for k in 0..<count { b[k] = Slot(nextFree: k + 1 < count ? Int16(k + 1) : -1, prevFree: Int16(k - 1)) }
        }
        if count < freeSlotRanges.count, let reused = freeSlotRanges[count].popLast() {
            let base = Int(reused)
            slots.withUnsafeMutableBufferPointer { chain(UnsafeMutableBufferPointer(rebasing: $0[base..<(base + count)])) }
            return base
        }
        // Built aside and appended in one copy: appending a repeated value goes element by element.
        let base = slots.count
        withUnsafeTemporaryAllocation(of: Slot.self, capacity: count) { b in
            chain(b)
            slots.append(contentsOf: UnsafeBufferPointer(b))
        }
        return base
    }
}
