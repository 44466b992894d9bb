import HeapModel

/// The kernel's kvmalloc family: kmalloc first, vmalloc when that fails, under each kernel's rules;
/// and the Rust `KVmalloc` allocator built on `kvrealloc`.
public enum KVmalloc {
    /// The flags of kvmalloc's kmalloc attempt (`kmalloc_gfp_adjust()` in 6.18, inline in 6.1):
    /// above a page, add `__GFP_NOWARN`; unless `__GFP_RETRY_MAYFAIL`, add `__GFP_NORETRY` (6.1) or
    /// drop `__GFP_DIRECT_RECLAIM` (6.18); drop `__GFP_NOFAIL`, which the vmalloc fallback provides.
    /// 6.12's `kmalloc_gfp_adjust()` in `mm/util.c` is 6.1's rule (`__GFP_NORETRY`).
    public static func kmallocFlags(_ flags: GFPFlags, size: Int, kernel: KernelVersion) -> GFPFlags {
        guard size > Page.size else { return flags }
        var f = flags.union(.noWarn)
        if !flags.contains(.retryMayFail) {
            if kernel.kvmallocDropsDirectReclaim { f.remove(.directReclaim) } else { f.insert(.noRetry) }
        }
        f.remove(.noFail)
        return f
    }

    /// `kvmalloc(size, flags)`: the kmalloc attempt, then (above a page) vmalloc with the original
    /// flags and `VM_ALLOW_HUGE_VMAP` (2 MiB pages from 2 MiB up, see
    /// ``Vmalloc/vmalloc(_:align:flags:site:allowHugeMappings:in:)``). Both kernels give up instead
    /// when the flags may not block (GFP_ATOMIC, GFP_NOWAIT):
    /// vmalloc may sleep, so 6.1's `kvmalloc_node()` in `mm/util.c` returns NULL there (since the
    /// 5.17-era "fix BUG splat with kvmalloc + GFP_ATOMIC"), as 6.18's `__kvmalloc_node_noprof()`
    /// in `mm/slub.c` does. 6.18 also passes `align` to vmalloc; 6.1 always asks for 1.
    public static func kvmalloc(_ size: Int, align: Int = 1, flags: GFPFlags, site: CallSite = .unknown,
                                in machine: inout Machine) -> VirtualAddress? {
        kvmalloc(size, align: align, flags: flags, site: site, rules: machine.configuration.kernel, in: &machine)
    }

    /// `kvmalloc` under the given kernel's rules (kvrealloc's fallback follows its own rules).
    static func kvmalloc(_ size: Int, align: Int, flags: GFPFlags, site: CallSite, rules kernel: KernelVersion,
                         in machine: inout Machine) -> VirtualAddress? {
        if let p = Kmalloc.kmalloc(size, flags: kmallocFlags(flags, size: size, kernel: kernel), site: site, in: &machine) {
            return p
        }
        guard size > Page.size else { return nil }
        if !flags.allowsBlocking { return nil }
        guard size <= Int(Int32.max) else { return Vmalloc.fail(size, flags, &machine) }
        // kvmalloc's fallback may always be huge-mapped (VM_ALLOW_HUGE_VMAP): callers assume nothing
        // about the pages behind the pointer.
        return Vmalloc.vmalloc(size, align: kernel.kvmallocTakesAlign ? align : 1, flags: flags, site: site, allowHugeMappings: true,
                               in: &machine)
    }

    /// `kvfree(p)`: vfree for a vmalloc address, kfree otherwise.
    @discardableResult
    public static func kvfree(_ ptr: VirtualAddress, site: CallSite = .unknown, in machine: inout Machine) -> ContractViolation? {
        Vmalloc.isVmallocAddress(ptr, in: machine) ? Vmalloc.vfree(ptr, site: site, in: &machine)
            : Kmalloc.kfree(ptr, site: site, in: &machine)
    }

    /// `kvrealloc` as the machine's kernel has it. 6.1 takes the old size from the caller and only
    /// grows (new kvmalloc, copy, kvfree; p itself when the old size covers the new one). 6.12 and
    /// 6.18 realloc a vmalloc area with vrealloc, and a kmalloc object with krealloc (kvmalloc's
    /// adjusted flags), falling back to a whole kvmalloc, a copy of `min(size, ksize(p))` bytes and
    /// kfree (`kvrealloc_noprof()` in 6.12's `mm/util.c`, `kvrealloc_node_align()` in 6.18's
    /// `mm/slub.c`); only 6.18 passes an alignment on.
    /// - Parameter rules: whose kvrealloc to follow; defaults to the machine's kernel. The Rust
    ///   `KVmalloc` always uses the 6.18 form it was written against.
    public static func kvrealloc(_ ptr: VirtualAddress, oldSize: Int? = nil, newSize: Int, align: Int = 1, flags: GFPFlags,
                                 site: CallSite = .unknown, rules: KernelVersion? = nil,
                                 in machine: inout Machine) -> Result<VirtualAddress?, ContractViolation> {
        let kernel = rules ?? machine.configuration.kernel
        guard kernel.kvreallocKnowsOldSize else {
            return kvrealloc61(ptr, oldSize: oldSize, newSize: newSize, flags: flags, site: site, in: &machine)
        }
        let align = kernel.kvmallocTakesAlign ? align : 1
        if ptr != .null && Vmalloc.isVmallocAddress(ptr, in: machine) {
            return Vmalloc.vrealloc(ptr, newSize: newSize, align: align, flags: flags, site: site, in: &machine)
        }
        let adjusted = kmallocFlags(flags, size: newSize, kernel: kernel)
        switch Kmalloc.krealloc(ptr, newSize: newSize, flags: adjusted, site: site, in: &machine) {
        case .failure(let v): return .failure(v)
        case .success(let p?): return .success(p)
        case .success(nil):
            // The whole kvmalloc: a second kmalloc attempt, the non-blocking and INT_MAX checks,
            // then vmalloc (huge-mappable).
            guard let fresh = kvmalloc(newSize, align: align, flags: flags, site: site, rules: kernel, in: &machine) else {
                return .success(nil)
            }
            if ptr != .null {
                let old = Kmalloc.ksize(ptr, in: machine) ?? 0
                machine.copyBytes(from: ptr, to: fresh, count: min(old, newSize))
                Kmalloc.kfree(ptr, site: site, in: &machine)
            }
            return .success(fresh)
        }
    }

    /// 6.1's `kvrealloc(p, oldsize, newsize, flags)` in `mm/util.c`.
    static func kvrealloc61(_ ptr: VirtualAddress, oldSize: Int?, newSize: Int, flags: GFPFlags, site: CallSite,
                            in machine: inout Machine) -> Result<VirtualAddress?, ContractViolation> {
        if ptr != .null && machine.requestedSize(at: ptr) == nil {
            // Not a live allocation: report it (kvfree classifies it) before allocating anything.
            if let v = kvfree(ptr, site: site, in: &machine) { return .failure(v) }
        }
        let old = oldSize ?? machine.requestedSize(at: ptr) ?? 0
        // Nothing to do when the caller's old size covers the new one: p comes back as it is,
        // so kvrealloc(NULL, 0, 0) is NULL (not kvmalloc(0)'s ZERO_SIZE_PTR).
        if old >= newSize { return .success(ptr == .null ? nil : ptr) }
        guard let fresh = kvmalloc(newSize, align: 1, flags: flags, site: site, rules: .v6_1, in: &machine) else {
            return .success(nil)
        }
        if ptr != .null {
            machine.copyBytes(from: ptr, to: fresh, count: old)
            if let v = kvfree(ptr, site: site, in: &machine) { return .failure(v) }
        }
        return .success(fresh)
    }
}
