import HeapModel

/// Named slab caches: `kmem_cache_create`, `kmem_cache_alloc`, `kmem_cache_free`, as subsystems
/// (and replayed traces) use them.
public enum KmemCache {
    /// `kmem_cache_create(name, size, align, flags, ctor)`: sizes the slot as SLUB does (pointer
    /// rounding, alignment, the free pointer moved out of the object for constructors and RCU
    /// caches) and computes the slab geometry for the machine.
    /// - Returns: the new cache, or nil for an object size of 0 or above 4 MiB (or too many caches).
    @discardableResult
    public static func create(_ name: String, objectSize: Int, align: Int = 8, flags: SlabCache.Flags = [],
                              hasConstructor: Bool = false, in machine: inout Machine) -> CacheID? {
        guard objectSize > 0, objectSize <= Machine.maxSlotSize, align > 0, align <= Machine.maxSlotSize, align & (align - 1) == 0 else {
            return nil
        }
        let alignment = SlabGeometry.alignment(objectSize: objectSize, align: align, hardwareCacheAlign: flags.contains(.hardwareCacheAlign))
        let size = SlabGeometry.slotSize(objectSize: objectSize, align: alignment, freePointerOutside: hasConstructor)
        return machine.createCache(name: name, objectSize: objectSize, size: size, align: alignment, flags: flags)
    }

    /// `kmem_cache_alloc(cache, flags)`: one object, or nil (with a warning event unless `__GFP_NOWARN`).
    public static func alloc(_ cache: CacheID, flags: GFPFlags, site: CallSite = .unknown, cpu: Int = 0,
                             in machine: inout Machine) -> VirtualAddress? {
        let objectSize = machine.objectSize(of: cache)
        guard let ptr = try? machine.slabAlloc(cache, gfp: flags, requested: objectSize, site: site, cpu: cpu) else {
            if machine.events.isRecording {
                machine.record(.allocationFailed(function: .kmemCacheAlloc, size: objectSize, gfp: flags,
                                                 warn: !flags.contains(.noWarn)))
            }
            return nil
        }
        if machine.events.isRecording { machine.record(.cacheObjectAllocated(ptr: ptr, cache: cache, gfp: flags, site: site)) }
        if flags.contains(.zero) { machine.zeroBytes(at: ptr, count: objectSize) }
        return ptr
    }

    /// `kmem_cache_free(cache, p)`: frees an object, refusing one of another cache (SLUB's
    /// "cache_from_obj: Wrong slab cache" check) and every kfree misuse.
    @discardableResult
    public static func free(_ cache: CacheID, _ ptr: VirtualAddress, site: CallSite = .unknown,
                            in machine: inout Machine) -> ContractViolation? {
        machine.recordUntallied(.cacheObjectFreed(ptr: ptr, cache: cache, site: site))
        if ptr == .null { return nil }
        if let loc = machine.locateObject(ptr), loc.cache != cache {
            return Kmalloc.report(.wrongAllocator, ptr: ptr, function: .kmemCacheFree,
                                  detail: .wrongCache(passed: machine.cache(cache).name, actual: machine.cache(loc.cache).name),
                                  in: &machine)
        }
        do {
            try machine.slabFree(ptr, site: site)
            return nil
        } catch {
            switch error {
            case .alreadyFree: return Kmalloc.report(.doubleFree, ptr: ptr, function: .kmemCacheFree, in: &machine)
            case .interiorPointer, .notSlabAddress: return Kmalloc.report(.invalidFree, ptr: ptr, function: .kmemCacheFree, in: &machine)
            }
        }
    }
}
