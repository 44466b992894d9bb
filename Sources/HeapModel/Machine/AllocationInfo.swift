/// What the simulation remembers about an allocation made outside a slab.
package struct AllocationInfo: Hashable, Sendable {
    /// Bytes the caller asked for.
    package var requested: Int
    /// Where it was allocated.
    package var allocSite: CallSite
    /// Where it was freed, once freed.
    package var freeSite: CallSite = .unknown
    /// The Rust allocator type that made it; nil for the C API.
    package var rustAllocator: AllocatorKind?

    package init(requested: Int, allocSite: CallSite) {
        self.requested = requested
        self.allocSite = allocSite
    }
}
