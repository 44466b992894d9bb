import HeapModel

/// The allocation failed: the counterpart of the kernel's `AllocError`, returned (thrown) when the
/// simulated machine cannot satisfy a request that a real kernel also could not.
public struct AllocError: Error, Hashable, Sendable {
    /// Why, for reports; callers must not depend on it, as the kernel's callers cannot.
    public enum Reason: Hashable, Sendable {
        /// No memory in any allowed zone.
        case outOfMemory
        /// The size is above what the allocator can ever serve (e.g. kmalloc above 4 MiB).
        case tooLarge
        /// The alignment is not supported by this allocator (e.g. Vmalloc above `PAGE_SIZE` in 6.13).
        case unsupportedAlignment
        /// The call broke the allocator contract; the report was recorded and nothing changed.
        case contractViolation(ContractViolation)
    }
    /// Why.
    public let reason: Reason

    /// Creates an error.
    public init(_ reason: Reason) { self.reason = reason }
}

extension AllocError {
    /// The violation behind this error, if it was one.
    public var violation: ContractViolation? {
        if case .contractViolation(let v) = reason { return v }
        return nil
    }
}
