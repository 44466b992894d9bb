/// The three Rust allocator types of the kernel (`rust/kernel/alloc/allocator.rs`), as a value: what
/// an operation names and what the machine stamps on the allocations each type makes.
public enum AllocatorKind: String, Hashable, Sendable, CaseIterable {
    /// `Kmalloc`.
    case kmalloc = "Kmalloc"
    /// `Vmalloc`.
    case vmalloc = "Vmalloc"
    /// `KVmalloc`.
    case kvmalloc = "KVmalloc"
}
