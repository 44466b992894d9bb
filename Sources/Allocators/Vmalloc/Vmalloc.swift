import HeapModel

/// The kernel's vmalloc family on the simulated machine: `vmalloc`, `vfree`, `vrealloc`, and the Rust
/// `Vmalloc` allocator built on them. Virtually contiguous areas with a guard page, backed by order-0
/// pages taken one at a time; freed ranges wait for the lazy purge.
public enum Vmalloc {
    /// `is_vmalloc_addr()`: whether `ptr` lies in `[VMALLOC_START, VMALLOC_END]`.
    public static func isVmallocAddress(_ ptr: VirtualAddress, in machine: Machine) -> Bool {
        ptr >= machine.vmap.start && ptr <= machine.vmap.end
    }

    /// `PMD_SIZE` on x86_64: the smallest request a huge mapping is tried for, and its alignment.
    public static let hugeMappingSize = Page.size << hugePageOrder
    /// The order of the blocks a huge mapping is backed by (`PMD_SHIFT - PAGE_SHIFT`).
    public static let hugePageOrder = 9

    /// `__vmalloc_node_range(size, align, ...)`: page-aligns the size, reserves an area with one guard
    /// page at the lowest fitting address, backs it with order-0 pages (`gfp | __GFP_NOWARN`), and
    /// allocates the page-pointer array with kmalloc (or a nested vmalloc above a page, `vpages`).
    ///
    /// With `allowHugeMappings` (the caller's `VM_ALLOW_HUGE_VMAP`: kvmalloc's fallback and
    /// `vmalloc_huge()`), a request of at least `PMD_SIZE` (2 MiB) is first tried as a huge
    /// mapping, as x86_64 selects `HAVE_ARCH_HUGE_VMALLOC` and `vmap_allow_huge` defaults to on: the
    /// area is aligned to 2 MiB, its size rounded up to 2 MiB (plus the guard page), and it is backed
    /// by order-9 blocks, each split into small pages. When that fails (no order-9 block, or no
    /// 2 MiB-aligned room), the half-built area is freed as vfree frees one (its range waits for the
    /// lazy purge) and the request is retried with order-0 pages at the caller's alignment, as the
    /// `fail:` path of `__vmalloc_node_range()` in `mm/vmalloc.c` does (6.1, 6.12 and 6.18 alike).
    ///
    /// Small pages come from the bulk allocator in requests of up to 100 (``Machine/allocPagesBulk(_:gfp:owner:cpu:into:)``),
    /// and one at a time once a request comes back short (`vm_area_alloc_pages()`); `cpu`, the
    /// CPU that allocates, is whose per-CPU lists they come from when the machine keeps them.
    ///
    /// - Returns: the area's start, or nil with a warning event (unless `__GFP_NOWARN`) for size 0,
    ///   more pages than the machine has, an exhausted range, or no pages.
    public static func vmalloc(_ size: Int, align: Int = 1, flags: GFPFlags = .kernel, site: CallSite = .unknown,
                               allowHugeMappings: Bool = false, cpu: Int? = nil, in machine: inout Machine) -> VirtualAddress? {
        guard size > 0, size <= machine.totalManagedPages * Page.size else { return fail(size, flags, &machine) }
        // An alignment beyond 1 TiB could not fit the range (and would overflow the placement arithmetic).
        guard align <= 1 << 40 else { return fail(size, flags, &machine) }
        let alignment = max(align.nonzeroBitCount == 1 ? align : 1, Page.size)
        if allowHugeMappings && size >= hugeMappingSize,
           let ptr = mapArea(size, alignment: max(alignment, hugeMappingSize), pageOrder: hugePageOrder, flags: flags,
                             site: site, cpu: cpu, in: &machine) {
            return ptr
        }
        guard let ptr = mapArea(size, alignment: alignment, pageOrder: 0, flags: flags, site: site, cpu: cpu, in: &machine) else {
            return fail(size, flags, &machine)
        }
        return ptr
    }

    /// `vmalloc_huge(size, flags)`: vmalloc with `VM_ALLOW_HUGE_VMAP` (large system hash tables,
    /// BPF), huge-mapped from 2 MiB up.
    public static func vmallocHuge(_ size: Int, flags: GFPFlags = .kernel, site: CallSite = .unknown,
                                   in machine: inout Machine) -> VirtualAddress? {
        vmalloc(size, flags: flags, site: site, allowHugeMappings: true, in: &machine)
    }

    /// One attempt of `__vmalloc_node_range()` at a page order: the area (its size rounded up to the
    /// mapping's block size, plus the guard page), its pages as blocks of `pageOrder` split into
    /// small pages, and the page array. nil when any step fails, with no warning (the caller warns).
    static func mapArea(_ size: Int, alignment: Int, pageOrder: Int, flags: GFPFlags, site: CallSite, cpu: Int?,
                        in machine: inout Machine) -> VirtualAddress? {
        let block = Page.size << pageOrder
        let bytes = (size + block - 1) / block * block
        let nrPages = bytes / Page.size
        guard let start = machine.reserveVmapArea(size: bytes + Page.size, align: alignment, requested: size, caller: site) else {
            return nil
        }
        let pages = areaPages(nrPages, pageOrder: pageOrder, flags: flags, cpu: cpu, in: &machine)
        guard pages.count == nrPages else {
            release(start, pages: pages, pageOrder: pageOrder, in: &machine)
            return nil
        }
        // The page-pointer array: kmalloc up to a page, else a nested vmalloc.
        let arrayBytes = nrPages * 8
        let nestedFlags = flags.intersection([.reclaim, .high, .io, .fs, .noWarn, .retryMayFail, .noFail, .noRetry]).union(.zero)
        let array: VirtualAddress?
        if machine.pageArraysFromTrace {
            array = .null   // a replay applies the trace's own allocation of the array
        } else if arrayBytes > Page.size {
            // __vmalloc_node(array_size, 1, nested_gfp, node, area->caller): vmallocinfo names
            // the outer caller for the nested area too (6.1 mm/vmalloc.c __vmalloc_area_node).
            array = vmalloc(arrayBytes, flags: nestedFlags, site: site, cpu: cpu, in: &machine)
        } else {
            // kmalloc_node() is inlined: its call site is __vmalloc_node_range's own code.
            array = Kmalloc.kmalloc(arrayBytes, flags: nestedFlags, site: machine.callSite("__vmalloc_node_range+0x0/0x0"), in: &machine)
        }
        guard let array else {
            release(start, pages: pages, pageOrder: pageOrder, in: &machine)
            return nil
        }
        machine.updateVmapArea(startingAt: start) { area in
            area.pages = pages
            area.pageArray = array
            area.pageArrayIsVmalloc = arrayBytes > Page.size
            area.pageOrder = pageOrder
        }
        let ptr = start
        if machine.events.isRecording {
            machine.record(.areaAllocated(start: ptr, size: bytes + Page.size, align: alignment, requested: size, gfp: flags, site: site))
        }
        if flags.contains(.zero) { machine.zeroBytes(at: ptr, count: bytes) }
        return ptr
    }

    /// `vm_area_alloc_pages()`: an area's `nrPages` pages as blocks of `pageOrder` (each split into
    /// small pages), with `flags | __GFP_NOWARN` (and `__GFP_HIGHMEM` when no zone is named). Small
    /// pages come from the bulk allocator in requests of up to 100 (it takes no `__GFP_NOFAIL`),
    /// then one at a time once a request comes back short. Fewer than `nrPages` when a page
    /// cannot be had (the caller frees them).
    static func areaPages(_ nrPages: Int, pageOrder: Int, flags: GFPFlags, cpu: Int?, in machine: inout Machine) -> [Int32] {
        var pageFlags = flags.union(.noWarn).subtracting(.zero)
        if pageFlags.rawValue & 0xf == 0 { pageFlags.insert(.highMem) }
        // High-order blocks never carry __GFP_NOFAIL (vm_area_alloc_pages()).
        if pageOrder > 0 { pageFlags.remove(.noFail) }
        var pages: [Int32] = []
        pages.reserveCapacity(nrPages)
        if pageOrder == 0 {
            while pages.count < nrPages {
                let request = min(100, nrPages - pages.count)
                if machine.allocPagesBulk(request, gfp: pageFlags.subtracting(.noFail), owner: .vmalloc, cpu: cpu, into: &pages) != request { break }
            }
        }
        while pages.count < nrPages {
            guard let pfn = try? machine.allocPages(order: Order(pageOrder), gfp: pageFlags, owner: .vmalloc, cpu: cpu) else { break }
            if pageOrder > 0 { machine.splitPage(pfn, order: Order(pageOrder)) }
            for k in 0..<(1 << pageOrder) { pages.append(Int32(pfn.rawValue + k)) }
        }
        return pages
    }

    /// Undoes a failed attempt: frees the pages it got (small pages, as vfree does). A huge attempt's
    /// area is then freed lazily, as `__vfree()` frees it in the kernel; an order-0 attempt's area is
    /// dropped at once (memtop's simplification: it was never handed out).
    static func release(_ start: VirtualAddress, pages: [Int32], pageOrder: Int, in machine: inout Machine) {
        for p in pages { try? machine.freePages(PageFrameNumber(Int(p)), order: 0) }
        if pageOrder > 0 {
            machine.lazilyFreeVmapArea(startingAt: start, site: .unknown)
        } else {
            machine.dropVmapArea(startingAt: start)
        }
    }

    static func fail(_ size: Int, _ flags: GFPFlags, _ machine: inout Machine) -> VirtualAddress? {
        if machine.events.isRecording {
            machine.record(.allocationFailed(function: .vmalloc, size: size, gfp: flags, warn: !flags.contains(.noWarn)))
        }
        return nil
    }

    /// `vfree(p)`: frees the backing pages at once, then the page array, and puts the range on the
    /// lazy purge list. NULL does nothing. Given the `cpu` that frees, the pages go to its per-CPU
    /// lists when those are on, as `__free_pages()` puts them (6.1 `__vunmap()`, 6.12 `vfree()`).
    /// - Returns: the violation for a pointer that is not a live vmalloc area's start.
    @discardableResult
    public static func vfree(_ ptr: VirtualAddress, site: CallSite = .unknown, cpu: Int? = nil,
                             in machine: inout Machine) -> ContractViolation? {
        if ptr == .null { return nil }
        guard isVmallocAddress(ptr, in: machine) else {
            return Kmalloc.report(.wrongAllocator, ptr: ptr, function: .vfree, detail: .vfreeOutsideVmallocRange,
                                  in: &machine)
        }
        let vmap = machine.vmap
        guard let i = vmap.areaIndex(startingAt: ptr) else {
            let detail: ContractViolation.Detail = vmap.areaIndex(containing: ptr) != nil ? .insideVmallocArea : .noVmallocArea
            return Kmalloc.report(.invalidFree, ptr: ptr, function: .vfree, detail: detail, in: &machine)
        }
        let area = vmap.areas[i]
        if area.isLazilyFreed {
            return Kmalloc.report(.doubleFree, ptr: ptr, function: .vfree, detail: .awaitingPurge, in: &machine)
        }
        machine.recordUntallied(.areaFreed(start: ptr, size: area.size, site: site))
        for p in area.pages { try? machine.freePages(PageFrameNumber(Int(p)), order: 0, cpu: cpu) }
        if area.pageArray == .null {
            // The trace frees its own page array.
        } else if area.pageArrayIsVmalloc {
            vfree(area.pageArray, site: site, cpu: cpu, in: &machine)
        } else {
            Kmalloc.kfree(area.pageArray, site: site, in: &machine)
        }
        machine.lazilyFreeVmapArea(startingAt: ptr, site: site)
        return nil
    }

    /// The bytes usable in place: the area's pages (guard excluded).
    public static func allocatedSize(_ ptr: VirtualAddress, in machine: Machine) -> Int? {
        guard let i = machine.vmap.areaIndex(startingAt: ptr), !machine.vmap.areas[i].isLazilyFreed else { return nil }
        return machine.vmap.areas[i].pages.count * Page.size
    }

    /// `vrealloc(p, size, flags)` (6.12+; 6.18's `vrealloc_node_align()` in `mm/vmalloc.c`): size 0
    /// vfrees `p` (NULL included) and returns NULL before anything else; NULL `p` allocates. An area
    /// whose address is not aligned to `align` is refused with NULL (the kernel's "will not
    /// reallocate with a bigger alignment" warning; `p` stays valid, nothing moves). A size up to
    /// the last requested size shrinks in place, zeroing the dropped tail only for `__GFP_ZERO`
    /// (init_on_alloc/init_on_free are off here); a size within the allocated pages grows in
    /// place without zeroing (the tail was zeroed when it was dropped). Beyond that: a new area
    /// at `align`, a copy of `min(size, requested)` bytes, and a vfree. Pages are never freed in place.
    public static func vrealloc(_ ptr: VirtualAddress, newSize: Int, align: Int = 1, flags: GFPFlags, site: CallSite = .unknown,
                                in machine: inout Machine) -> Result<VirtualAddress?, ContractViolation> {
        if newSize == 0 {
            if let v = vfree(ptr, site: site, in: &machine) { return .failure(v) }
            return .success(nil)
        }
        if ptr == .null { return .success(vmalloc(newSize, align: align, flags: flags, site: site, in: &machine)) }
        guard let i = machine.vmap.areaIndex(startingAt: ptr), !machine.vmap.areas[i].isLazilyFreed else {
            if let v = vfree(ptr, site: site, in: &machine) { return .failure(v) }   // reports the misuse
            return .success(nil)
        }
        let area = machine.vmap.areas[i]
        if ptr.rawValue % UInt64(max(align, 1)) != 0 { return .success(nil) }
        let alloced = area.pages.count * Page.size
        if newSize <= alloced {
            if newSize < area.requested && flags.contains(.zero) {
                machine.zeroBytes(at: ptr.advanced(by: newSize), count: area.requested - newSize)
            }
            machine.setRequestedSize(ptr, newSize)
            if machine.events.isRecording { machine.record(.areaResizedInPlace(start: ptr, oldSize: area.requested, newSize: newSize)) }
            return .success(ptr)
        }
        guard let fresh = vmalloc(newSize, align: align, flags: flags, site: site, in: &machine) else { return .success(nil) }
        machine.copyBytes(from: ptr, to: fresh, count: min(area.requested, newSize))
        vfree(ptr, site: site, in: &machine)
        return .success(fresh)
    }
}
