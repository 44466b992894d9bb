/// Why an operation could not be applied: it names something that does not exist. Allocation
/// failures and contract violations are not errors: they are the simulation's business, reported
/// as events.
public enum OperationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A free, write or realloc names an allocation that was never made under that name.
    case noAllocation(Handle)
    /// `free_pages` names no block that `alloc_pages` made.
    case noPages(Handle)
    /// `kmem_cache_alloc`/`free` names a cache that was never created.
    case noCache(String)
    /// `kmem_cache_free` names no live object of that cache.
    case noObject(Handle)
    /// `kmem_cache_create` was refused (object size 0 or above 4 MiB, alignment not a power of two).
    case cacheRefused(CacheSpecification)

    /// What was expected and what was found, as trace errors say it.
    public var description: String {
        switch self {
        case .noAllocation(let h): "expected a live allocation for \(h), found none"
        case .noPages(let h): "expected pages allocated as \(h), found none"
        case .noCache(let name): "expected a cache created with kmem_cache_create, found \"\(name)\""
        case .noObject(let h): "expected a live object for \(h), found none"
        case .cacheRefused(let c):
            "expected an object size of 1 byte to 4M and a power-of-two align, found size=\(c.objectSize) align=\(c.align)"
        }
    }
}
