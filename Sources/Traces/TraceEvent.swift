#if canImport(Glibc)
import Glibc
#endif

/// The trace events memtop reads, recognised once per line from the event name.
enum TraceEvent: UInt8, CaseIterable {
    case kmalloc, kmallocNode, kmemCacheAlloc, kmemCacheAllocNode, kfree, kmemCacheFree
    case mmPageAlloc, mmPageFree, mmPageFreeBatched
    case kpVmalloc, kpAllocVmapArea, allocVmapArea, kpVmallocRet, kpVunmapCore
    case kpVfree, kpVfreeAtomic, kpVunmap, kpAllocVmapAreaRet, kpFreeVmapAreaNoflush, kpPurgeVmapAreaLazy
    case kpVmap, kpVmapRet, purgeVmapAreaLazy, freeVmapAreaNoflush

    /// A vmalloc event (tracepoint or kprobe): everything after the slab and page events.
    var isVmalloc: Bool { rawValue >= TraceEvent.kpVmalloc.rawValue }

    /// The name as ftrace prints it.
    var name: String {
        switch self {
        case .kmalloc: "kmalloc"
        case .kmallocNode: "kmalloc_node"
        case .kmemCacheAlloc: "kmem_cache_alloc"
        case .kmemCacheAllocNode: "kmem_cache_alloc_node"
        case .kfree: "kfree"
        case .kmemCacheFree: "kmem_cache_free"
        case .mmPageAlloc: "mm_page_alloc"
        case .mmPageFree: "mm_page_free"
        case .mmPageFreeBatched: "mm_page_free_batched"
        case .kpVmalloc: "kp_vmalloc"
        case .kpAllocVmapArea: "kp_alloc_vmap_area"
        case .allocVmapArea: "alloc_vmap_area"
        case .kpVmallocRet: "kp_vmalloc_ret"
        case .kpVunmapCore: "kp_vunmap_core"
        case .kpVfree: "kp_vfree"
        case .kpVfreeAtomic: "kp_vfree_atomic"
        case .kpVunmap: "kp_vunmap"
        case .kpAllocVmapAreaRet: "kp_alloc_vmap_area_ret"
        case .kpFreeVmapAreaNoflush: "kp_free_vmap_area_noflush"
        case .kpPurgeVmapAreaLazy: "kp_purge_vmap_area_lazy"
        case .kpVmap: "kp_vmap"
        case .kpVmapRet: "kp_vmap_ret"
        case .purgeVmapAreaLazy: "purge_vmap_area_lazy"
        case .freeVmapAreaNoflush: "free_vmap_area_noflush"
        }
    }

    /// The event named by the `count` bytes at `p` (a line's `eventStart..<eventEnd`), or nil for
    /// names memtop does not read. It takes the name's bytes, not the whole line record by value:
    /// a copy of that record, just written field by field, stalled on store forwarding.
    init?(name p: UnsafePointer<UInt8>, count len: Int) {
        func matches(_ name: StaticString) -> Bool { memcmp(p, name.utf8Start, len) == 0 }
        switch len {
        case 5:
            if matches("kfree") { self = .kfree; return }
        case 7:
            if matches("kmalloc") { self = .kmalloc; return }
            if matches("kp_vmap") { self = .kpVmap; return }
        case 8:
            if matches("kp_vfree") { self = .kpVfree; return }
        case 9:
            if matches("kp_vunmap") { self = .kpVunmap; return }
        case 10:
            if matches("kp_vmalloc") { self = .kpVmalloc; return }
        case 11:
            if matches("kp_vmap_ret") { self = .kpVmapRet; return }
        case 12:
            if matches("kmalloc_node") { self = .kmallocNode; return }
            if matches("mm_page_free") { self = .mmPageFree; return }
        case 13:
            if matches("mm_page_alloc") { self = .mmPageAlloc; return }
        case 14:
            if matches("kp_vmalloc_ret") { self = .kpVmallocRet; return }
            if matches("kp_vunmap_core") { self = .kpVunmapCore; return }
        case 15:
            if matches("kmem_cache_free") { self = .kmemCacheFree; return }
            if matches("alloc_vmap_area") { self = .allocVmapArea; return }
            if matches("kp_vfree_atomic") { self = .kpVfreeAtomic; return }
        case 16:
            if matches("kmem_cache_alloc") { self = .kmemCacheAlloc; return }
        case 18:
            if matches("kp_alloc_vmap_area") { self = .kpAllocVmapArea; return }
        case 20:
            if matches("mm_page_free_batched") { self = .mmPageFreeBatched; return }
            if matches("purge_vmap_area_lazy") { self = .purgeVmapAreaLazy; return }
        case 21:
            if matches("kmem_cache_alloc_node") { self = .kmemCacheAllocNode; return }
        case 22:
            if matches("kp_alloc_vmap_area_ret") { self = .kpAllocVmapAreaRet; return }
            if matches("free_vmap_area_noflush") { self = .freeVmapAreaNoflush; return }
        case 23:
            if matches("kp_purge_vmap_area_lazy") { self = .kpPurgeVmapAreaLazy; return }
        case 25:
            if matches("kp_free_vmap_area_noflush") { self = .kpFreeVmapAreaNoflush; return }
        default: break
        }
        return nil
    }
}
