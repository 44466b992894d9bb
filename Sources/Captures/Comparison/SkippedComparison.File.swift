extension SkippedComparison {
    /// The files whose rows may be skipped.
    public enum File: String, Hashable, Sendable {
        /// `/proc/pagetypeinfo`: the free-block rows.
        case pagetypeinfo
        /// `/proc/vmallocinfo`: the vmalloc rows.
        case vmallocinfo
    }
}
