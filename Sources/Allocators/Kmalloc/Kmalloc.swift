import HeapModel

/// The kernel's kmalloc family on the simulated SLUB: `kmalloc`, `kfree`, `ksize`, `krealloc`,
/// and the Rust `Kmalloc` allocator built on them. Stateless: all state is in the machine passed in.
public enum Kmalloc {
    /// `kmalloc(size, flags)`: an object from the kmalloc cache of the size class the flags' type
    /// selects, or, above 8 KiB, a compound page block straight from the buddy allocator.
    ///
    /// - Returns: the object, `ZERO_SIZE_PTR` for size 0, or nil (NULL) on failure. A failure is
    ///   traced as the kernel traces it, a `kmalloc` event with `ptr=0` (`__do_kmalloc_node` calls
    ///   `trace_kmalloc` whatever the result), then memtop's `allocationFailed`, which warns unless
    ///   `__GFP_NOWARN`.
    public static func kmalloc(_ size: Int, flags: GFPFlags, site: CallSite = .unknown, cpu: Int = 0,
                               in machine: inout Machine) -> VirtualAddress? {
        if size == 0 { return .zeroSizePointer }   // returns before the tracepoint
        guard size > 0 else { return fail(size: size, flags: flags, in: &machine) }
        if size > KmallocSizes.maxCacheSize { return kmallocLarge(size, flags: flags, site: site, in: &machine) }
        let index = KmallocSizes.index(forSize: size)
        let type = KmallocSizes.type(for: flags)
        guard let cache = machine.kmallocCache(type: type, index: index) else { return fail(size: size, flags: flags, in: &machine) }
        guard let ptr = try? machine.slabAlloc(cache, gfp: flags, requested: size, site: site, cpu: cpu) else {
            return fail(size: size, flags: flags, traced: (KmallocSizes.classSize(index: index), cache, site), in: &machine)
        }
        if machine.events.isRecording {
            machine.record(.objectAllocated(ptr: ptr, bytesReq: size, bytesAlloc: KmallocSizes.classSize(index: index), gfp: flags,
                                             cache: cache, site: site))
        }
        if flags.contains(.zero) { machine.zeroBytes(at: ptr, count: size) }
        return ptr
    }

    /// `kmalloc_large()`: `get_order(size)` pages with the caller's flags plus `__GFP_COMP`, or NULL
    /// above `KMALLOC_MAX_SIZE`. `__GFP_ZERO` goes to the page allocator with the rest (as
    /// `__kmalloc_large_node()` passes it in 6.1's `mm/slab_common.c` and 6.12/6.18's `mm/slub.c`),
    /// which zeroes the whole block, so `mm_page_alloc` shows it.
    static func kmallocLarge(_ size: Int, flags: GFPFlags, site: CallSite, in machine: inout Machine) -> VirtualAddress? {
        // Traced as the kernel does, bytes_alloc = PAGE_SIZE << get_order(size), also above the
        // largest order (8M in 6.1 is order 11, which __alloc_pages refuses).
        let order = Page.order(forBytes: size)
        let traced = (Page.size << min(order, 62 - Page.shift), nil as CacheID?, site)
        guard size <= KmallocSizes.maxSize else { return fail(size: size, flags: flags, traced: traced, in: &machine) }
        guard let pfn = try? machine.allocPages(order: Order(order), gfp: flags.union(.comp), owner: .largeKmalloc) else {
            return fail(size: size, flags: flags, traced: traced, in: &machine)
        }
        let ptr = VirtualAddress.directMap(pfn)
        machine.largeAllocations[ptr.rawValue] = AllocationInfo(requested: size, allocSite: site)
        machine.freedLargeAllocations[ptr.rawValue] = nil
        if machine.events.isRecording {
            machine.record(.objectAllocated(ptr: ptr, bytesReq: size, bytesAlloc: Page.size << order, gfp: flags, cache: nil, site: site))
        }
        if flags.contains(.zero) { machine.zeroBytes(at: ptr, count: Page.size << order) }
        return ptr
    }

    /// A failed kmalloc: the `kmalloc` tracepoint with `ptr=0` when the kernel reaches it
    /// (`traced`: its bytes_alloc, cache and call site), then memtop's failure event.
    static func fail(size: Int, flags: GFPFlags, traced: (bytesAlloc: Int, cache: CacheID?, site: CallSite)? = nil,
                     in machine: inout Machine) -> VirtualAddress? {
        if machine.events.isRecording {
            if let traced {
                machine.record(.objectAllocated(ptr: .null, bytesReq: size, bytesAlloc: traced.bytesAlloc, gfp: flags, cache: traced.cache,
                                                 site: traced.site))
            }
            machine.record(.allocationFailed(function: .kmalloc, size: size, gfp: flags, warn: !flags.contains(.noWarn)))
        }
        return nil
    }

    /// `ksize(p)`: the usable size, the whole slot (or the whole page block for a large kmalloc);
    /// nil when `p` is not a live kmalloc object.
    public static func ksize(_ ptr: VirtualAddress, in machine: Machine) -> Int? {
        if let loc = machine.locateObject(ptr), loc.inUse, loc.start == ptr { return machine.slotSize(of: loc.cache) }
        if let pfn = ptr.directMapFrame, machine.owner(of: pfn) == .largeKmalloc, let order = machine.blockOrder(at: pfn),
           VirtualAddress.directMap(pfn) == ptr {
            return Page.size << order
        }
        return nil
    }

    /// `kfree(p)`: returns an object to its slab or a large kmalloc's pages to the buddy allocator.
    /// NULL and `ZERO_SIZE_PTR` do nothing (the `kfree` event is still emitted, as the kernel's is).
    ///
    /// - Returns: the contract violation when `p` is not a live kmalloc object (double free, interior
    ///   or unknown pointer, a vmalloc address); the machine is then unchanged but for the report.
    @discardableResult
    public static func kfree(_ ptr: VirtualAddress, site: CallSite = .unknown, in machine: inout Machine) -> ContractViolation? {
        machine.recordUntallied(.objectFreed(ptr: ptr, site: site))
        if ptr == .null || ptr == .zeroSizePointer { return nil }
        do {
            try machine.slabFree(ptr, site: site)
            return nil
        } catch {
            switch error {
            case .alreadyFree:
                return report(.doubleFree, ptr: ptr, function: .kfree, in: &machine)
            case .interiorPointer:
                return report(.invalidFree, ptr: ptr, function: .kfree, in: &machine)
            case .notSlabAddress:
                break
            }
        }
        if let pfn = ptr.directMapFrame, machine.owner(of: pfn) == .largeKmalloc {
            let head = VirtualAddress.directMap(pfn)
            guard head == ptr, let order = machine.blockOrder(at: pfn), var info = machine.largeAllocations[ptr.rawValue] else {
                return report(.invalidFree, ptr: ptr, function: .kfree, detail: .insideLargeKmalloc, in: &machine)
            }
            do { try machine.freePages(pfn, order: Order(order)) } catch {
                return report(.invalidFree, ptr: ptr, function: .kfree, detail: .pagesRefused(error), in: &machine)
            }
            info.freeSite = site
            machine.largeAllocations[ptr.rawValue] = nil
            machine.freedLargeAllocations[ptr.rawValue] = info
            return nil
        }
        if Vmalloc.isVmallocAddress(ptr, in: machine) {
            return report(.wrongAllocator, ptr: ptr, function: .kfree, detail: .kfreeOfVmallocAddress, in: &machine)
        }
        if machine.freedLargeAllocations[ptr.rawValue] != nil {
            return report(.doubleFree, ptr: ptr, function: .kfree, in: &machine)
        }
        return report(.invalidFree, ptr: ptr, function: .kfree, in: &machine)
    }

    /// Builds, records and returns a KASAN-style violation for `ptr`.
    static func report(_ kind: ContractViolation.Kind, ptr: VirtualAddress, function: AllocatorFunction,
                       detail: ContractViolation.Detail? = nil, in machine: inout Machine) -> ContractViolation {
        var allocation = ContractViolation.Allocation()
        if let loc = machine.locateObject(ptr) {
            allocation.allocatedBy = machine.name(of: loc.allocSite)
            if !loc.inUse { allocation.freedBy = machine.name(of: loc.freeSite) }
            let cache = machine.cache(loc.cache)
            allocation.object = ContractViolation.Object(start: loc.start, size: cache.geometry.size, cache: cache.name)
        } else if let info = machine.largeAllocations[ptr.rawValue] ?? machine.freedLargeAllocations[ptr.rawValue] {
            allocation.allocatedBy = machine.name(of: info.allocSite)
            if info.freeSite != .unknown { allocation.freedBy = machine.name(of: info.freeSite) }
        }
        let violation = ContractViolation(kind: kind, address: ptr, function: function, detail: detail, allocation: allocation)
        machine.record(.contractViolated(violation))
        return violation
    }

    /// `krealloc(p, new_size, flags)`: in place when `new_size <= ksize(p)` (no event; with
    /// `__GFP_ZERO` the bytes from `new_size` to `ksize(p)` are zeroed), otherwise a new kmalloc, a
    /// copy of the old object (`ksize(p)` bytes) and a kfree. NULL `p` is kmalloc; size 0 frees and
    /// returns `ZERO_SIZE_PTR`. On failure returns nil and `p` stays valid.
    public static func krealloc(_ ptr: VirtualAddress, newSize: Int, align: Int = 1, flags: GFPFlags, site: CallSite = .unknown,
                                in machine: inout Machine) -> Result<VirtualAddress?, ContractViolation> {
        if ptr == .null || ptr == .zeroSizePointer {
            return .success(kmalloc(newSize, flags: flags, site: site, in: &machine))
        }
        guard let usable = ksize(ptr, in: machine) else {
            let kind: ContractViolation.Kind = Vmalloc.isVmallocAddress(ptr, in: machine) ? .wrongAllocator : .invalidFree
            return .failure(report(kind, ptr: ptr, function: .krealloc, in: &machine))
        }
        if newSize == 0 {
            if let v = kfree(ptr, site: site, in: &machine) { return .failure(v) }
            return .success(.zeroSizePointer)
        }
        // krealloc_node_align() (6.18): an object not aligned to `align` is moved, whatever its size.
        if newSize <= usable && ptr.rawValue % UInt64(max(align, 1)) == 0 {
            // __do_krealloc() zeroes the spare bytes [new_size, ksize) under want_init_on_alloc(),
            // i.e. for __GFP_ZERO here (6.18 takes the same branch: without slub_debug the
            // "original size" it knows is the whole object).
            if flags.contains(.zero) { machine.zeroBytes(at: ptr.advanced(by: newSize), count: usable - newSize) }
            machine.setRequestedSize(ptr, newSize)
            return .success(ptr)
        }
        guard let fresh = kmalloc(newSize, flags: flags, site: site, in: &machine) else { return .success(nil) }
        // The kernel copies the whole old object (ksize bytes; 6.18 min(new_size, ksize), the same
        // here since the object moves only when it is too small).
        machine.copyBytes(from: ptr, to: fresh, count: min(usable, newSize))
        _ = kfree(ptr, site: site, in: &machine)
        return .success(fresh)
    }

    /// The bytes last asked for at `ptr` (not the slot size), for a live kmalloc object.
    public static func requestedSize(_ ptr: VirtualAddress, in machine: Machine) -> Int? {
        if let loc = machine.locateObject(ptr), loc.inUse, loc.start == ptr { return loc.requestedSize }
        return machine.largeAllocations[ptr.rawValue]?.requested
    }
}
