extension NativeTraceFormat {
    /// The keys one operation takes: all of them in the order lines are written, and those it needs.
    public struct Keys: Sendable {
        /// Every key the operation takes, in the order ``NativeTraceFormat/line(_:kernel:)`` writes them.
        public let allowed: [String]
        /// The keys a line must give.
        public let required: [String]
    }

    private static func k(_ allowed: String, required: String = "") -> Keys {
        Keys(allowed: allowed.split(separator: " ").map(String.init), required: required.split(separator: " ").map(String.init))
    }

    /// Every operation of the format with its keys. `id` and `ptr` name an allocation (one of them
    /// is needed where a line names one).
    public static let keys: [String: Keys] = [
        "kmalloc": k("id ptr size flags site", required: "size"),
        "kfree": k("id ptr site"),
        "krealloc": k("id ptr size flags site", required: "size"),
        "vmalloc": k("id ptr size align flags site", required: "size"),
        "vfree": k("id ptr site"),
        "vrealloc": k("id ptr size align flags site", required: "size"),
        "kvmalloc": k("id ptr size align flags site", required: "size"),
        "kvfree": k("id ptr site"),
        "kvrealloc": k("id ptr size align flags oldsize rules site", required: "size"),
        "kmem_cache_create": k("name size align cache_flags ctor", required: "name size"),
        "kmem_cache_alloc": k("cache id ptr flags site", required: "cache"),
        "kmem_cache_free": k("cache id ptr site", required: "cache"),
        "alloc_pages": k("id ptr order flags owner", required: "order"),
        "free_pages": k("id ptr keep"),
        "realloc": k("allocator id ptr size align oldsize oldalign flags", required: "allocator size"),
        "kvec_push": k("vec allocator count flags", required: "vec"),
        "kvec_reserve": k("vec allocator additional flags", required: "vec additional"),
        "kvec_shrink": k("vec allocator flags", required: "vec"),
        "kvec_drop": k("vec allocator", required: "vec"),
        "write": k("id ptr bytes", required: "bytes"),
        "say": k("show"),
        "mark": k("show"),
        "pause": k("show"),
        "ask": k("answer show"),
    ]
}
