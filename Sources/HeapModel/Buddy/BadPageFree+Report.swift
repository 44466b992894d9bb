/// The words of a refused page free.
extension BadPageFree {
    /// The report in the words the kernel's checks use (`bad_page()` in `mm/page_alloc.c`).
    public var report: String {
        let reason: String
        switch problem {
        case .alreadyFree: reason = "page is already free (double free)"
        case .notAllocatedHead: reason = "page is not the head of an allocated block"
        case .orderMismatch(let actual): reason = "freed with order \(order) but allocated with order \(actual)"
        case .notManaged: reason = "page is reserved or outside RAM"
        }
        return "BUG: Bad page state: pfn:\(pfn) order:\(order): \(reason)"
    }
}
