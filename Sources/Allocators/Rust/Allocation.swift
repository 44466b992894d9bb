import HeapModel

/// A successful allocation: the pointer and exactly the requested size (the Rust API does not
/// report the size class's slack).
public struct Allocation: Hashable, Sendable {
    /// First byte; for size 0 a dangling pointer equal to the alignment.
    public let pointer: VirtualAddress
    /// The requested size.
    public let size: Int
}
