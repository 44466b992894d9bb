extension Machine {
    /// Counts the machine's large buffers in `census`: the per-frame tables (by chunk), the slab and
    /// slot records, the pageblock types and the written pages' contents. Small tables and
    /// dictionaries are left out; they are a few kilobytes on any machine memtop boots.
    public func count(in census: inout StorageCensus) {
        frames.count(in: &census)
        slabOfFrame.count(in: &census)
        census.count(slots)
        census.count(slabs)
        census.count(pageblockType)
        for page in pageContents.values { census.count(page) }
    }
}

extension Machine {
    /// The bytes of one frame's record in the frame table.
    public static var frameRecordStride: Int { MemoryLayout<Frame>.stride }
}
