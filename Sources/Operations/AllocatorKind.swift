import Allocators

/// The three Rust allocator types of the kernel, as a value an operation can name.
public enum AllocatorKind: String, Hashable, Sendable, CaseIterable {
    /// `Kmalloc`.
    case kmalloc = "Kmalloc"
    /// `Vmalloc`.
    case vmalloc = "Vmalloc"
    /// `KVmalloc`.
    case kvmalloc = "KVmalloc"

    /// The kind of allocator type `A`.
    public init<A: Allocator>(_: A.Type) {
        switch A.name {
        case Vmalloc.name: self = .vmalloc
        case KVmalloc.name: self = .kvmalloc
        default: self = .kmalloc
        }
    }
}
