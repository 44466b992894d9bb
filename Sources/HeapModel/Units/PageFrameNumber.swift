/// The number of a physical page frame: the physical address shifted right by `PAGE_SHIFT`.
///
/// A distinct type so that a frame number can never be passed where a byte address or a count is
/// expected; conversions are explicit and named.
public struct PageFrameNumber: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The frame number itself.
    public var rawValue: Int

    /// Wraps a raw frame number.
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// Wraps a raw frame number.
    public init(_ rawValue: Int) { self.rawValue = rawValue }

    /// The physical address of the first byte of this frame.
    public var physicalAddress: PhysicalAddress { PhysicalAddress(UInt64(rawValue) << UInt64(Page.shift)) }

    /// The frame `count` frames above this one.
    public func advanced(by count: Int) -> PageFrameNumber { PageFrameNumber(rawValue + count) }

    /// Orders frame numbers by address.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The frame number as the kernel prints it in tracepoints: `0x` and lower-case hex.
    public var description: String { "0x" + String(rawValue, radix: 16) }
}
