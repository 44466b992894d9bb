/// A physical byte address.
public struct PhysicalAddress: RawRepresentable, Hashable, Comparable, Sendable {
    /// The address.
    public var rawValue: UInt64
    /// Wraps a raw address.
    public init(rawValue: UInt64) { self.rawValue = rawValue }
    /// Wraps a raw address.
    public init(_ rawValue: UInt64) { self.rawValue = rawValue }
    /// The frame holding this address.
    public var pageFrame: PageFrameNumber { PageFrameNumber(Int(rawValue >> UInt64(Page.shift))) }
    /// Orders addresses numerically.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
