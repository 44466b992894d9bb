/// A kernel virtual address: the direct map (kmalloc, slabs, large kmalloc) or the vmalloc range.
public struct VirtualAddress: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The address.
    public var rawValue: UInt64
    /// Wraps a raw address.
    @inlinable public init(rawValue: UInt64) { self.rawValue = rawValue }
    /// Wraps a raw address.
    @inlinable public init(_ rawValue: UInt64) { self.rawValue = rawValue }

    /// `PAGE_OFFSET` with 4-level paging and no KASLR: the direct map of all physical memory.
    @inlinable public static var directMapBase: UInt64 { 0xffff_8880_0000_0000 }
    /// `ZERO_SIZE_PTR`: what kmalloc(0) returns; kfree accepts it and does nothing.
    @inlinable public static var zeroSizePointer: VirtualAddress { VirtualAddress(16) }
    /// NULL.
    @inlinable public static var null: VirtualAddress { VirtualAddress(0) }

    /// The direct-map address of a frame.
    public static func directMap(_ pfn: PageFrameNumber) -> VirtualAddress {
        VirtualAddress(directMapBase &+ (UInt64(pfn.rawValue) << UInt64(Page.shift)))
    }

    /// The frame a direct-map address falls in, or nil when it is not a direct-map address.
    public var directMapFrame: PageFrameNumber? {
        guard rawValue >= VirtualAddress.directMapBase, rawValue < VirtualAddress.directMapBase &+ (1 << 46) else { return nil }
        return PageFrameNumber(Int((rawValue &- VirtualAddress.directMapBase) >> UInt64(Page.shift)))
    }

    /// The address `bytes` further on.
    public func advanced(by bytes: Int) -> VirtualAddress { VirtualAddress(rawValue &+ UInt64(bitPattern: Int64(bytes))) }

    /// Orders addresses numerically.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// 16 hex digits without `0x`, as the kernel's `%px` (and unhashed `%p`) prints pointers.
    public var description: String {
        let h = String(rawValue, radix: 16)
        return String(repeating: "0", count: max(0, 16 - h.count)) + h
    }
}
