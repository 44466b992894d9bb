/// A range of frames the machine reserved at boot and why.
public struct BootReservation: Hashable, Sendable {
    /// What the range holds.
    public enum Purpose: String, Hashable, Sendable {
        /// The first megabyte, reserved whole by x86 since 5.13.
        case lowMemory = "low 1 MiB"
        /// Kernel text, data, bss and early boot allocations, loaded at 16 MiB.
        case kernelImage = "kernel image"
        /// `struct page` array (64 bytes per page), allocated top-down by memblock.
        case memmap = "memmap"
    }
    /// What the range holds.
    public let purpose: Purpose
    /// First frame.
    public let start: PageFrameNumber
    /// Number of frames.
    public let count: Int

    /// The frames of the range.
    public var frames: Range<PageFrameNumber> { start..<start.advanced(by: count) }
}
