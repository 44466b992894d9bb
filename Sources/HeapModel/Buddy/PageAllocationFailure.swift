/// Why `alloc_pages` returned no page. A value the caller handles, never a crash.
public struct PageAllocationFailure: Error, Hashable, Sendable {
    /// What went wrong.
    public enum Reason: Hashable, Sendable {
        /// The order is above `MAX_PAGE_ORDER` (the kernel warns once and returns NULL).
        case orderTooLarge
        /// Every allowed zone was below its watermark or had no block of the order.
        case noMemory
    }
    /// What went wrong.
    public let reason: Reason
    /// The requested order.
    public let order: Order
    /// The request's flags.
    public let gfp: GFPFlags
}
