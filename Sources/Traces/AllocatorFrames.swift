/// The kernel functions that are the allocator itself, as call-chain frames name them: a call
/// site is the first frame of a chain outside them (as `call_site=` is the allocator's caller).
///
/// Taken from the function names the 6.1 capture's chains show (`__traceiter_kmalloc`,
/// `__kmalloc_node`, `kmalloc_trace`, `kmem_cache_alloc_lru`, `__alloc_pages`, `__vmalloc_node_range`,
/// `kvmalloc_node`, `__vunmap`) and the families they belong to in `mm/slub.c`, `mm/slab_common.c`,
/// `mm/page_alloc.c`, `mm/vmalloc.c` and `mm/util.c` (6.12 and 6.18 add `_noprof` to most, which the
/// prefixes cover). The helpers that pass their own caller as the call site (`kmemdup`, `kstrdup`,
/// `memdup_user`, `kvasprintf`: `_RET_IP_` through `kmalloc_track_caller`) count as allocator too, so
/// the chain names the site the kernel names.
enum AllocatorFrames {
    /// Families: every function whose name starts so is part of an allocator.
    static let prefixes: [String] = [
        "__traceiter_", "__probestub_", "trace_event_raw_event_", "perf_trace_",
        "kmalloc", "__kmalloc", "__do_kmalloc", "kmem_cache_alloc", "__kmem_cache_alloc", "kmem_cache_free", "__kmem_cache_free",
        "slab_alloc", "__slab_alloc", "___slab_alloc", "slab_free", "__slab_free", "do_slab_free",
        "slab_pre_alloc_hook", "slab_post_alloc_hook",
        "__alloc_pages", "alloc_pages", "__folio_alloc", "folio_alloc", "__get_free_pages", "get_page_from_freelist",
        "vmalloc", "__vmalloc", "vzalloc", "vfree", "__vfree", "__vunmap",
        "kvmalloc", "__kvmalloc", "kvrealloc", "krealloc", "__krealloc", "kvfree",
        "kmemdup", "kstrdup", "kstrndup", "memdup_user", "vmemdup_user", "kvasprintf",
    ]
    /// Single functions (a prefix would take in callers such as `kfree_skb`).
    static let exact: Set<String> = ["kfree", "kfree_sensitive", "kfree_const"]

    /// Whether the frame `name` (`sym+0xoff`, `sym.part.0+0x2b`) is inside an allocator.
    static func contains(_ name: Substring) -> Bool {
        let function = name.prefix { $0 != "+" && $0 != "." }
        if exact.contains(String(function)) { return true }
        return prefixes.contains { function.hasPrefix($0) }
    }
}
