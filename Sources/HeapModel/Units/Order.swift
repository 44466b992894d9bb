/// The size of a buddy block as a power of two of pages: a block of order n holds 2^n pages (the
/// kernel's `order`, 0 through `MAX_PAGE_ORDER`).
///
/// A distinct type so that an order is never taken for a page count or a frame number; an integer
/// literal is an order (`allocPages(order: 0, ...)`), a variable converts explicitly.
public struct Order: RawRepresentable, Hashable, Comparable, Sendable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    /// The exponent.
    public var rawValue: Int

    /// Wraps an exponent.
    @inlinable public init(rawValue: Int) { self.rawValue = rawValue }

    /// Wraps an exponent.
    @inlinable public init(_ rawValue: Int) { self.rawValue = rawValue }

    /// An order written as a literal.
    @inlinable public init(integerLiteral value: Int) { rawValue = value }

    /// Pages in a block of this order, 2^order.
    @inlinable public var pages: Int { 1 << rawValue }

    /// The largest order, `MAX_PAGE_ORDER` (10).
    @inlinable public static var max: Order { Order(Page.maxOrder) }

    /// Orders by size.
    @inlinable public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The exponent, as the kernel prints `order=`.
    public var description: String { String(rawValue) }
}
