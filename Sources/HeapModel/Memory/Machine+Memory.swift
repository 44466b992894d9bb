/// Memory contents: sparse bytes for the simulated RAM. A page has storage only once written;
/// unwritten pages read as zero. Contents survive a free, so an allocation without `__GFP_ZERO`
/// can show what the previous owner left behind, as on a real machine.
extension Machine {
    /// The frame and offset behind a kernel virtual address (direct map or a busy vmalloc area).
    public func translate(_ address: VirtualAddress) -> (pfn: PageFrameNumber, offset: Int)? {
        if let pfn = address.directMapFrame, pfn.rawValue < endPFN {
            return (pfn, Int(address.rawValue & UInt64(Page.size - 1)))
        }
        if let i = vmapSpace.areaIndex(containing: address), !vmapSpace.areas[i].isLazilyFreed {
            let area = vmapSpace.areas[i]
            let page = Int((address.rawValue - area.start.rawValue) >> UInt64(Page.shift))
            guard page < area.pages.count else { return nil }   // the guard page
            return (PageFrameNumber(Int(area.pages[page])), Int(address.rawValue & UInt64(Page.size - 1)))
        }
        return nil
    }

    /// Reads `count` bytes from `address`; nil if any byte is unmapped.
    public func readBytes(at address: VirtualAddress, count: Int) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(count)
        var done = 0
        while done < count {
            guard let (pfn, offset) = translate(address.advanced(by: done)) else { return nil }
            let n = min(count - done, Page.size - offset)
            if let page = pageContents[Int32(pfn.rawValue)] { out += page[offset..<(offset + n)] }
            else { out += repeatElement(0, count: n) }
            done += n
        }
        return out
    }

    /// Writes `bytes` at `address`; bytes that fall on unmapped addresses are dropped.
    public mutating func writeBytes(_ bytes: [UInt8], at address: VirtualAddress) {
        var done = 0
        while done < bytes.count {
            guard let (pfn, offset) = translate(address.advanced(by: done)) else { return }
            let n = min(bytes.count - done, Page.size - offset)
            let key = Int32(pfn.rawValue)
            if pageContents[key] == nil {
                if bytes[done..<(done + n)].allSatisfy({ $0 == 0 }) { done += n; continue }
                pageContents[key] = [UInt8](repeating: 0, count: Page.size)
            }
            pageContents[key]!.replaceSubrange(offset..<(offset + n), with: bytes[done..<(done + n)])
            done += n
        }
    }

    /// Zeroes `count` bytes at `address` (what `__GFP_ZERO` does).
    public mutating func zeroBytes(at address: VirtualAddress, count: Int) {
        // No page has contents (every replay): nothing to zero, and no page walk for a large area.
        guard !pageContents.isEmpty else { return }
        var done = 0
        while done < count {
            guard let (pfn, offset) = translate(address.advanced(by: done)) else { return }
            let n = min(count - done, Page.size - offset)
            let key = Int32(pfn.rawValue)
            if pageContents[key] != nil {
                if n == Page.size { pageContents[key] = nil }
                else { pageContents[key]!.replaceSubrange(offset..<(offset + n), with: repeatElement(0, count: n)) }
            }
            done += n
        }
    }

    /// Copies `count` bytes (what realloc does with the old contents).
    public mutating func copyBytes(from source: VirtualAddress, to destination: VirtualAddress, count: Int) {
        guard count > 0, let bytes = readBytes(at: source, count: count) else { return }
        writeBytes(bytes, at: destination)
    }

    /// Records that the allocation at `address` now holds `size` requested bytes (in-place realloc).
    public mutating func setRequestedSize(_ address: VirtualAddress, _ size: Int) {
        if let loc = locateObject(address), loc.inUse {
            slots[Int(slabs[Int(loc.slab)].slotBase) + loc.slot].requested = UInt32(truncatingIfNeeded: size)
        } else if largeAllocations[address.rawValue] != nil {
            largeAllocations[address.rawValue]?.requested = size
        } else if let i = vmapSpace.areaIndex(startingAt: address) {
            vmapSpace.areas[i].requested = size
        }
    }

    /// The API that made the live allocation starting at `address`, or nil when no live allocation
    /// starts there. The Rust allocator types use it to enforce that a pointer goes back to the
    /// type that made it.
    public func allocationAPI(at address: VirtualAddress) -> AllocationAPI? {
        let kind: AllocatorKind?
        if let loc = locateObject(address) {
            guard loc.inUse && loc.start == address else { return nil }
            kind = slots[Int(slabs[Int(loc.slab)].slotBase) + loc.slot].rustAllocator
        } else if let info = largeAllocations[address.rawValue] {
            kind = info.rustAllocator
        } else if let i = vmapSpace.areaIndex(startingAt: address), !vmapSpace.areas[i].isLazilyFreed {
            kind = vmapSpace.areas[i].rustAllocator
        } else {
            return nil
        }
        return kind.map { .rust($0) } ?? .c
    }

    /// Marks the live allocation at `address` as made by the Rust allocator type `kind`.
    public mutating func setRustAllocator(_ kind: AllocatorKind, at address: VirtualAddress) {
        if let loc = locateObject(address), loc.inUse, loc.start == address {
            slots[Int(slabs[Int(loc.slab)].slotBase) + loc.slot].rustAllocator = kind
        } else if largeAllocations[address.rawValue] != nil {
            largeAllocations[address.rawValue]?.rustAllocator = kind
        } else if let i = vmapSpace.areaIndex(startingAt: address) {
            vmapSpace.areas[i].rustAllocator = kind
        }
    }

    /// The bytes requested for the live allocation at `address`, if one starts there.
    public func requestedSize(at address: VirtualAddress) -> Int? {
        if let loc = locateObject(address) { return loc.inUse && loc.start == address ? loc.requestedSize : nil }
        if let info = largeAllocations[address.rawValue] { return info.requested }
        if let i = vmapSpace.areaIndex(startingAt: address), !vmapSpace.areas[i].isLazilyFreed { return vmapSpace.areas[i].requested }
        return nil
    }
}
