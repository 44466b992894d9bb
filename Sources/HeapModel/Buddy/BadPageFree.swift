/// A free rejected because it does not match an allocation: what `free_pages()` on a bad page
/// would trip over (`BUG: Bad page state`).
public struct BadPageFree: Error, Hashable, Sendable {
    /// What is wrong with the page.
    public enum Problem: Hashable, Sendable {
        /// The frame is already free (a double free).
        case alreadyFree
        /// The frame is not the head of an allocated block (interior page or never allocated).
        case notAllocatedHead
        /// The frame heads a block of another order.
        case orderMismatch(actual: Order)
        /// The frame is reserved or outside RAM.
        case notManaged
    }
    /// The frame passed to free.
    public let pfn: PageFrameNumber
    /// The order passed to free.
    public let order: Order
    /// What is wrong.
    public let problem: Problem

    /// A rejected free of `pfn` with `order`.
    public init(pfn: PageFrameNumber, order: Order, problem: Problem) {
        self.pfn = pfn
        self.order = order
        self.problem = problem
    }
}
