import HeapModel

/// The kernel's Rust `Allocator` trait (`rust/kernel/alloc.rs`), in Swift: stateless types whose
/// functions take the machine. Implementors write only ``realloc(_:layout:oldLayout:flags:in:)``;
/// `alloc` and `free` are defined in terms of it, as in the kernel.
///
/// # Contract (checked: a breach is reported and refused, never undefined behaviour)
/// - Precondition: a pointer passed in is a live allocation of the *same* allocator type, unless
///   `oldLayout.size == 0` (then it may be dangling and is ignored).
/// - Precondition: `oldLayout` is the layout the allocation was made with.
/// - `layout.align <= oldLayout.align` when reallocating a live allocation is the trait's v3 review
///   rule, not the merged trait's: breaking it is reported as that rule, and the allocator then does
///   what the kernel profile's does (6.18's krealloc moves a misaligned object; 6.12's and 6.1's
///   keep it in place when it fits; vrealloc refuses a misaligned area in 6.18).
/// - Postcondition: the result is aligned to `layout.align` and holds at least `layout.size` bytes;
///   the first `min(old, new)` bytes are preserved; size 0 frees and returns a dangling pointer
///   equal to `layout.align`; on failure the old allocation is still valid.
public protocol Allocator {
    /// `MIN_ALIGN`: the alignment every allocation has at least.
    static var minAlign: Int { get }
    /// Which of the kernel's allocator types this is; the machine stamps it on the allocations it makes.
    static var kind: AllocatorKind { get }

    /// Allocates (`ptr == nil`), resizes, or frees (`layout.size == 0`).
    /// - Throws: ``AllocError``: out of memory or unsupported (the allocation, if any, stays valid),
    ///   or a contract violation (reported as an event; the machine is unchanged).
    static func realloc(_ ptr: VirtualAddress?, layout: Layout, oldLayout: Layout, flags: GFPFlags,
                        in machine: inout Machine) throws(AllocError) -> Allocation
}

extension Allocator {
    /// The name reports use (`Kmalloc`, `Vmalloc`, `KVmalloc`).
    public static var name: String { kind.rawValue }

    /// `Allocator::alloc`: `realloc(None, layout, <unit layout>, flags)`.
    public static func alloc(_ layout: Layout, flags: GFPFlags, in machine: inout Machine) throws(AllocError) -> Allocation {
        try realloc(nil, layout: layout, oldLayout: Layout.unit, flags: flags, in: &machine)
    }

    /// `Allocator::free`: `realloc(Some(ptr), <unit layout>, layout, 0)`; the kernel discards the
    /// result, memtop reports a misuse instead of ignoring it.
    public static func free(_ ptr: VirtualAddress, layout: Layout, in machine: inout Machine) throws(AllocError) {
        _ = try realloc(ptr, layout: Layout.unit, oldLayout: layout, flags: [], in: &machine)
    }
}

extension Kmalloc: Allocator {
    /// `ARCH_KMALLOC_MINALIGN`.
    public static var minAlign: Int { 8 }
    /// `Kmalloc`.
    public static var kind: AllocatorKind { .kmalloc }
    /// `ReallocFunc(krealloc)` with the layout padded to its alignment.
    public static func realloc(_ ptr: VirtualAddress?, layout: Layout, oldLayout: Layout, flags: GFPFlags,
                               in machine: inout Machine) throws(AllocError) -> Allocation {
        try ReallocFunc.krealloc.call(Kmalloc.self, ptr: ptr, layout: layout, oldLayout: oldLayout, flags: flags, in: &machine)
    }
}

extension Vmalloc: Allocator {
    /// `PAGE_SIZE`.
    public static var minAlign: Int { Page.size }
    /// `Vmalloc`.
    public static var kind: AllocatorKind { .vmalloc }
    /// `ReallocFunc(vrealloc)`; alignments above `PAGE_SIZE` are refused, as the 6.13 Rust Vmalloc refuses them.
    public static func realloc(_ ptr: VirtualAddress?, layout: Layout, oldLayout: Layout, flags: GFPFlags,
                               in machine: inout Machine) throws(AllocError) -> Allocation {
        try ReallocFunc.vrealloc.call(Vmalloc.self, ptr: ptr, layout: layout, oldLayout: oldLayout, flags: flags, in: &machine)
    }
}

extension KVmalloc: Allocator {
    /// `ARCH_KMALLOC_MINALIGN`.
    public static var minAlign: Int { 8 }
    /// `KVmalloc`.
    public static var kind: AllocatorKind { .kvmalloc }
    /// `ReallocFunc(kvrealloc)` with the layout padded to its alignment.
    public static func realloc(_ ptr: VirtualAddress?, layout: Layout, oldLayout: Layout, flags: GFPFlags,
                               in machine: inout Machine) throws(AllocError) -> Allocation {
        try ReallocFunc.kvrealloc.call(KVmalloc.self, ptr: ptr, layout: layout, oldLayout: oldLayout, flags: flags, in: &machine)
    }
}
