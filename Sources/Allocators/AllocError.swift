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

/// Size and alignment of a request, as Rust's `core::alloc::Layout`.
///
/// # Invariants
/// `align` is a power of two and `size` rounded up to `align` does not overflow.
public struct Layout: Hashable, Sendable {
    /// Bytes requested.
    public let size: Int
    /// Required alignment in bytes, a power of two.
    public let align: Int

    /// A layout, or nil when `align` is not a power of two or the padded size overflows
    /// (`Layout::from_size_align`).
    public init?(size: Int, align: Int = 1) {
        guard size >= 0, align > 0, align & (align - 1) == 0, size <= Int.max - (align - 1) else { return nil }
        self.size = size
        self.align = align
    }

    /// `Layout::pad_to_align()`: the size rounded up to a multiple of the alignment.
    public var paddedToAlign: Layout {
        // INVARIANT: init checked that the rounding cannot overflow.
        Layout(size: (size + align - 1) & ~(align - 1), align: align)!
    }

    /// The layout of `count` elements of `elementSize` bytes (`Layout::array`), nil on overflow.
    public static func array(elementSize: Int, alignment: Int, count: Int) -> Layout? {
        let (bytes, overflow) = elementSize.multipliedReportingOverflow(by: count)
        return overflow ? nil : Layout(size: bytes, align: alignment)
    }
}
