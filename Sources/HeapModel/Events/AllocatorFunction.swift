/// An allocator entry point, as events and violation reports name it: the kernel's C functions and
/// the Rust allocator types' `realloc`.
public enum AllocatorFunction: Hashable, Sendable {
    /// `kmalloc`.
    case kmalloc
    /// `kmem_cache_alloc`.
    case kmemCacheAlloc
    /// `kfree`.
    case kfree
    /// `kmem_cache_free`.
    case kmemCacheFree
    /// `krealloc`.
    case krealloc
    /// `vmalloc`.
    case vmalloc
    /// `vfree`.
    case vfree
    /// `vrealloc`.
    case vrealloc
    /// `kvrealloc`.
    case kvrealloc
    /// `<Type>::realloc` of a Rust allocator type (`Kmalloc::realloc`, ...).
    case rustRealloc(AllocatorKind)
}

extension AllocatorFunction: CustomStringConvertible {
    /// The name as the kernel spells it (`kmem_cache_free`, `KVmalloc::realloc`).
    public var description: String {
        switch self {
        case .kmalloc: "kmalloc"
        case .kmemCacheAlloc: "kmem_cache_alloc"
        case .kfree: "kfree"
        case .kmemCacheFree: "kmem_cache_free"
        case .krealloc: "krealloc"
        case .vmalloc: "vmalloc"
        case .vfree: "vfree"
        case .vrealloc: "vrealloc"
        case .kvrealloc: "kvrealloc"
        case .rustRealloc(let kind): kind.rawValue + "::realloc"
        }
    }
}
