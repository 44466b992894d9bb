import HeapModel

/// The backing C function of a Rust allocator, as the kernel's private `ReallocFunc` wraps
/// `krealloc`, `vrealloc` or `kvrealloc`; the three allocator types share this one helper.
enum ReallocFunc {
    case krealloc, vrealloc, kvrealloc

    /// The C function it calls.
    var function: AllocatorFunction {
        switch self {
        case .krealloc: .krealloc
        case .vrealloc: .vrealloc
        case .kvrealloc: .kvrealloc
        }
    }

    /// Checks the contract, fixes up the layout, calls the C function, and tags the result.
    func call<A: Allocator>(_ type: A.Type, ptr: VirtualAddress?, layout: Layout, oldLayout: Layout, flags: GFPFlags,
                            in machine: inout Machine) throws(AllocError) -> Allocation {
        var ptr = ptr
        if let p = ptr, oldLayout.size > 0 {
            if let v = check(A.self, p, layout: layout, oldLayout: oldLayout, in: &machine) { throw AllocError(.contractViolation(v)) }
        } else {
            ptr = nil   // a dangling pointer never reaches C
        }
        let kernel = machine.configuration.kernel
        // The size the caller's layout stands for (what old_layout will be checked against), and
        // the size asked of C, which 6.1 rounds up to a power of two.
        let declared = self == .vrealloc ? layout : layout.paddedToAlign
        var effective = declared
        if self != .vrealloc && kernel.rustKmallocRoundsToPowerOfTwo && layout.align > Kmalloc.minAlign && effective.size > 0,
           let rounded = Layout(size: 1 << (Int.bitWidth - (effective.size - 1).leadingZeroBitCount), align: layout.align) {
            effective = rounded
        }
        if layout.align > Page.size && self != .krealloc { throw AllocError(.unsupportedAlignment) }
        let site = machine.callSite(A.name + "::realloc+0x0/0x0")
        let result: Result<VirtualAddress?, ContractViolation>
        let old = ptr ?? .null
        switch self {
        case .krealloc:
            result = Kmalloc.krealloc(old, newSize: effective.size, align: kernel.kreallocTakesAlign ? layout.align : 1, flags: flags,
                                      site: site, in: &machine)
        case .vrealloc:
            result = Vmalloc.vrealloc(old, newSize: effective.size, align: kernel.kvmallocTakesAlign ? layout.align : 1, flags: flags,
                                      site: site, in: &machine)
        case .kvrealloc:
            result = KVmalloc.kvrealloc(old, newSize: effective.size, align: layout.align, flags: flags, site: site, rules: .v6_18,
                                        in: &machine)
        }
        if let p = ptr, oldLayout.size > 0, layout.size > 0, layout.align > oldLayout.align {
            reportAlignmentGrowth(A.self, p, result: result, layout: layout, oldLayout: oldLayout, kernel: kernel, in: &machine)
        }
        let fresh: VirtualAddress?
        switch result {
        case .failure(let v): throw AllocError(.contractViolation(v))
        case .success(let p): fresh = p
        }
        if machine.events.isRecording {
            machine.record(.rustReallocated(allocator: A.kind, old: ptr, new: layout.size == 0 ? nil : fresh,
                                        oldSize: ptr == nil ? 0 : oldLayout.size, newSize: layout.size, align: layout.align))
        }
        if layout.size == 0 { return Allocation(pointer: VirtualAddress(UInt64(layout.align)), size: 0) }
        guard let fresh, fresh != .zeroSizePointer else {
            throw AllocError(effective.size > KmallocSizes.maxSize && self == .krealloc ? .tooLarge : .outOfMemory)
        }
        machine.setRustAllocator(A.kind, at: fresh)
        machine.setRequestedSize(fresh, declared.size)
        return Allocation(pointer: fresh, size: layout.size)
    }

    /// The contract checks on a live pointer; returns the reported violation, if any.
    func check<A: Allocator>(_: A.Type, _ p: VirtualAddress, layout: Layout, oldLayout: Layout,
                             in machine: inout Machine) -> ContractViolation? {
        let function = AllocatorFunction.rustRealloc(A.kind)
        guard let api = machine.allocationAPI(at: p) else {
            // Not live: let the C free path classify it (double free, interior, unknown) and report.
            let cFree: ContractViolation?
            switch self {
            case .krealloc: cFree = Kmalloc.kfree(p, in: &machine)
            case .vrealloc: cFree = Vmalloc.vfree(p, in: &machine)
            case .kvrealloc: cFree = KVmalloc.kvfree(p, in: &machine)
            }
            return cFree ?? Kmalloc.report(.invalidFree, ptr: p, function: function, in: &machine)
        }
        if api != .rust(A.kind) {
            return Kmalloc.report(.wrongAllocator, ptr: p, function: function,
                                  detail: .otherAllocator(madeBy: api, passedTo: A.kind), in: &machine)
        }
        let expected = self == .vrealloc ? oldLayout.size : oldLayout.paddedToAlign.size
        if let requested = machine.requestedSize(at: p), requested != expected {
            return Kmalloc.report(.layoutMismatch, ptr: p, function: function,
                                  detail: .layoutMismatch(oldSize: oldLayout.size, oldAlign: oldLayout.align, actualSize: requested),
                                  in: &machine)
        }
        return nil
    }

    /// The v3 rule's report, after the allocator did what its kernel does: where the allocation
    /// ended up, and whether that is aligned.
    func reportAlignmentGrowth<A: Allocator>(_: A.Type, _ p: VirtualAddress, result: Result<VirtualAddress?, ContractViolation>,
                                             layout: Layout, oldLayout: Layout, kernel: KernelVersion, in machine: inout Machine) {
        let outcome: ContractViolation.AlignmentOutcome
        switch result {
        case .success(let fresh?) where fresh == p: outcome = .keptInPlace(at: fresh, aligned: fresh.rawValue % UInt64(layout.align) == 0)
        case .success(let fresh?): outcome = .moved(to: fresh, aligned: fresh.rawValue % UInt64(layout.align) == 0)
        case .success(nil): outcome = .refused
        case .failure: return
        }
        let detail = ContractViolation.Detail.alignmentGrowth(new: layout.align, old: oldLayout.align, kernel: kernel,
                                                              function: function, outcome: outcome)
        _ = Kmalloc.report(.alignmentGrowth, ptr: p, function: .rustRealloc(A.kind), detail: detail, in: &machine)
    }
}
