/// A misuse of the allocator contract, detected and refused; the machine is left unchanged.
///
/// A violation is data: what was misused, where, through which function, and what memtop knew about
/// the allocation. ``report`` (ContractViolation+Report.swift) words it later, the way the kernel's
/// debugging tools (KASAN, SLUB debug, the page allocator's checks) would report it.
public struct ContractViolation: Error, Hashable, Sendable {
    /// What was misused.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// The object or area was already freed.
        case doubleFree = "double-free"
        /// The pointer is not the start of a live allocation (unknown or interior).
        case invalidFree = "invalid-free"
        /// Freed (or reallocated) through another allocator than the one that made it.
        case wrongAllocator = "wrong-allocator"
        /// A realloc asked for a larger alignment than the allocation has.
        case alignmentGrowth = "alignment-growth"
        /// A free or realloc described the allocation with a layout that does not match it.
        case layoutMismatch = "layout-mismatch"
    }

    /// What the check found beyond the kind, when it found more.
    public enum Detail: Hashable, Sendable {
        /// The pointer is inside a large kmalloc, not at its start.
        case insideLargeKmalloc
        /// The page allocator refused to free a large kmalloc's pages.
        case pagesRefused(BadPageFree)
        /// `kfree()` of an address in the vmalloc range.
        case kfreeOfVmallocAddress
        /// `kmem_cache_free()` was given cache `passed` for an object of cache `actual`.
        case wrongCache(passed: String, actual: String)
        /// `vfree()` of an address outside the vmalloc range.
        case vfreeOutsideVmallocRange
        /// The address is inside a vmalloc area, not at its start.
        case insideVmallocArea
        /// No vmalloc area holds the address.
        case noVmallocArea
        /// The area was freed already and waits for the lazy purge.
        case awaitingPurge
        /// Made by `madeBy`, passed to the Rust allocator type `passedTo`.
        case otherAllocator(madeBy: AllocationAPI, passedTo: AllocatorKind)
        /// `old_layout` (`oldSize`, `oldAlign`) does not describe the allocation of `actualSize` bytes.
        case layoutMismatch(oldSize: Int, oldAlign: Int, actualSize: Int)
        /// A realloc asked for alignment `new` above the old `old`; `function` of `kernel` then did `outcome`.
        case alignmentGrowth(new: Int, old: Int, kernel: KernelVersion, function: AllocatorFunction, outcome: AlignmentOutcome)
    }

    /// What the kernel's C function did with a realloc that grew the alignment.
    public enum AlignmentOutcome: Hashable, Sendable {
        /// Kept the allocation where it was (at the same address); `aligned` to the new alignment or not.
        case keptInPlace(at: VirtualAddress, aligned: Bool)
        /// Moved it to `to`.
        case moved(to: VirtualAddress, aligned: Bool)
        /// Returned NULL; the old allocation stays valid.
        case refused
    }

    /// What memtop knew about the allocation the address belongs to.
    public struct Allocation: Hashable, Sendable {
        /// The call site that allocated it, by name.
        public var allocatedBy: String?
        /// The call site that freed it, by name, when it was freed.
        public var freedBy: String?
        /// The slab object holding the address.
        public var object: Object?

        /// What memtop knew; nothing by default.
        public init(allocatedBy: String? = nil, freedBy: String? = nil, object: Object? = nil) {
            self.allocatedBy = allocatedBy
            self.freedBy = freedBy
            self.object = object
        }
    }

    /// A slab object: where it starts, its size, and its cache's name.
    public struct Object: Hashable, Sendable {
        /// First byte.
        public let start: VirtualAddress
        /// The object size of its cache.
        public let size: Int
        /// Its cache's name.
        public let cache: String

        /// An object.
        public init(start: VirtualAddress, size: Int, cache: String) {
            self.start = start
            self.size = size
            self.cache = cache
        }
    }

    /// The fields.
    struct Payload: Hashable, Sendable {
        let kind: Kind
        let address: VirtualAddress
        let function: AllocatorFunction
        let detail: Detail?
        let allocation: Allocation
    }

    /// The fields, behind one reference: a violation is rare, while every kfree returns an optional
    /// one, and an optional reference comes back in a register where the fields came back in memory.
    private final class Box: Sendable {
        let payload: Payload
        init(_ payload: Payload) { self.payload = payload }
    }

    private let box: Box

    /// What was misused.
    public var kind: Kind { box.payload.kind }
    /// The address passed.
    public var address: VirtualAddress { box.payload.address }
    /// The function that detected it (`kfree`, `vfree`, `Kmalloc::realloc`, ...).
    public var function: AllocatorFunction { box.payload.function }
    /// What the check found beyond the kind.
    public var detail: Detail? { box.payload.detail }
    /// What memtop knew about the allocation.
    public var allocation: Allocation { box.payload.allocation }

    /// Creates a violation.
    public init(kind: Kind, address: VirtualAddress, function: AllocatorFunction, detail: Detail? = nil,
                allocation: Allocation = Allocation()) {
        box = Box(Payload(kind: kind, address: address, function: function, detail: detail, allocation: allocation))
    }

    /// Violations are equal when all their fields are.
    public static func == (a: ContractViolation, b: ContractViolation) -> Bool {
        a.box === b.box || a.box.payload == b.box.payload
    }

    /// Hashes all the fields.
    public func hash(into hasher: inout Hasher) { hasher.combine(box.payload) }
}
