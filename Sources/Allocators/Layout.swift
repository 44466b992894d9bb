import HeapModel

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

extension Layout {
    /// The zero-size layout with alignment 1 (`Layout::new::<()>()`).
    public static let unit = Layout(size: 0, align: 1)!
}
