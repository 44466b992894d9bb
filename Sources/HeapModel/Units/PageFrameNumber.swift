/// The number of a physical page frame: the physical address shifted right by `PAGE_SHIFT`.
///
/// A distinct type so that a frame number can never be passed where a byte address or a count is
/// expected; conversions are explicit and named. It is `Strideable` by frames, so a
/// `Range<PageFrameNumber>` (a zone's span, the frames a page map shows) is a collection of frames.
public struct PageFrameNumber: RawRepresentable, Hashable, Strideable, Sendable, CustomStringConvertible {
    /// The frame number itself.
    public var rawValue: Int

    /// Wraps a raw frame number.
    @inlinable public init(rawValue: Int) { self.rawValue = rawValue }

    /// Wraps a raw frame number.
    @inlinable public init(_ rawValue: Int) { self.rawValue = rawValue }

    /// The physical address of the first byte of this frame.
    @inlinable public var physicalAddress: PhysicalAddress { PhysicalAddress(UInt64(rawValue) << UInt64(Page.shift)) }

    /// The frame `count` frames above this one.
    @inlinable public func advanced(by count: Int) -> PageFrameNumber { PageFrameNumber(rawValue + count) }

    /// Frames from this one up to `other` (negative when `other` is lower).
    @inlinable public func distance(to other: PageFrameNumber) -> Int { other.rawValue - rawValue }

    /// Orders frame numbers by address.
    @inlinable public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// The frame number as the kernel prints it in tracepoints: `0x` and lower-case hex.
    public var description: String { "0x" + String(rawValue, radix: 16) }
}

extension Range where Bound == PageFrameNumber {
    /// The same frames as raw frame numbers, for indexing per-frame tables.
    @inlinable public var rawValues: Range<Int> { lowerBound.rawValue..<upperBound.rawValue }
}
