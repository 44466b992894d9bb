/// The API that made a live allocation: the C functions (`kmalloc`, `vmalloc`, `kvmalloc`, ...) or
/// one of the Rust allocator types, which the Rust contract requires a pointer to go back to.
public enum AllocationAPI: Hashable, Sendable {
    /// The C API.
    case c
    /// A Rust allocator type.
    case rust(AllocatorKind)
}

extension AllocationAPI: CustomStringConvertible {
    /// `the C API`, or the Rust type's name.
    public var description: String {
        switch self {
        case .c: "the C API"
        case .rust(let kind): kind.rawValue
        }
    }
}
