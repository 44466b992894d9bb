/// Finding a cache's slabs by the call site that allocated their objects.
extension Machine {
    /// The first address of every slab of `cache` holding an object allocated at `site`, in slab order.
    /// A replay that learns which cache a call site allocates from (a `kmem_cache_free name=` of one
    /// of its objects) moves the slabs it had put in a provisional cache of the same sizes.
    /// - Complexity: O(slabs + slots of the cache's slabs).
    public func slabAddresses(of cache: CacheID, allocatedAt site: CallSite) -> [VirtualAddress] {
        var found: [VirtualAddress] = []
        for i in slabs.indices where slabs[i].cache == cache && slabs[i].objects > 0 && slabs[i].inUse > 0 {
            let base = Int(slabs[i].slotBase)
            if (0..<Int(slabs[i].objects)).contains(where: { !slots[base + $0].isFree && slots[base + $0].allocSite == site.rawValue }) {
                found.append(VirtualAddress.directMap(PageFrameNumber(Int(slabs[i].pfn))))
            }
        }
        return found
    }
}
