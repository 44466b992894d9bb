/// The operations a replay applies, counted for the summary.
enum Applied: Int, CaseIterable {
    case kmalloc, kmemCacheAlloc, kfree, kmemCacheFree, outsidePages, vmalloc, vfree, kernelPages, pageFree

    /// The summary's name.
    var name: String {
        switch self {
        case .kmalloc: "kmalloc"
        case .kmemCacheAlloc: "kmem_cache_alloc"
        case .kfree: "kfree"
        case .kmemCacheFree: "kmem_cache_free"
        case .outsidePages: "outside pages"
        case .vmalloc: "vmalloc"
        case .vfree: "vfree"
        case .kernelPages: "kernel pages"
        case .pageFree: "page frees"
        }
    }
}
