import HeapModel

/// What applying an ``Operation`` gave back.
public enum Outcome: Hashable, Sendable {
    /// Nothing to give back (a free, a write, narration, a vector operation).
    case done
    /// The address an allocation or realloc returned; nil is NULL (the failure is in the events).
    case address(VirtualAddress?)
    /// The first frame of an `alloc_pages` block; nil when the allocator refused.
    case pages(PageFrameNumber?)
    /// The cache `kmem_cache_create` made.
    case cache(CacheID)

    /// The address of an ``address(_:)`` outcome.
    public var address: VirtualAddress? {
        if case .address(let p) = self { return p }
        return nil
    }

    /// The block of a ``pages(_:)`` outcome.
    public var pfn: PageFrameNumber? {
        if case .pages(let p) = self { return p }
        return nil
    }
}
