import Allocators
import HeapModel

/// Applies ``Operation`` values to a machine passed `inout`, as the allocators take it.
///
/// The runner owns the name tables an operation stream needs: the address each handle names, the
/// caches by name, the pages `alloc_pages` handed out and the Rust vectors. It is a value, so a
/// snapshot of (machine, runner) is a complete position in a stream of operations.
///
/// # Invariants
/// - Every entry of `live` names an allocation made through this runner and not freed since.
/// - `freedIDs` holds only symbolic handles; addresses need no memory to be freed twice.
public struct OperationRunner: Sendable {
    var live: [Handle: VirtualAddress] = [:]
    /// Symbolic names already freed, so that a hand-written double free reaches the allocator.
    var freedIDs: [String: VirtualAddress] = [:]
    var pages: [Handle: (pfn: PageFrameNumber, order: Order)] = [:]
    var caches: [String: CacheID] = [:]
    /// The highest number a batch allocated under each id prefix, for an open free (`id=p1..`).
    var rangeEnds: [String: Int] = [:]
    var kmallocVectors: [String: RustVec<UInt64, Kmalloc>] = [:]
    var vmallocVectors: [String: RustVec<UInt64, Vmalloc>] = [:]
    var kvmallocVectors: [String: RustVec<UInt64, KVmalloc>] = [:]
    /// The operations applied, while recording (see ``startRecording()``).
    private var recorded: [Operation]?

    /// A runner with empty tables.
    public init() {}

    /// The handle an allocating operation passes to be named by the address it gets.
    public static let fresh = Handle.pointer(0)

    /// Keeps every operation applied from now on, as `memtop record` writes them.
    public mutating func startRecording() { recorded = recorded ?? [] }

    /// The operations applied since the last call, with fresh handles replaced by the addresses
    /// the allocations got (so a replay names them as this run did).
    public mutating func takeRecorded() -> [Operation] {
        defer { if recorded != nil { recorded = [] } }
        return recorded ?? []
    }

    /// Applies one operation.
    /// - Returns: what the operation returned (an address, a page block, a cache).
    /// - Throws: ``OperationError`` when the operation names an allocation, cache or block that does
    ///   not exist; the machine is then unchanged.
    public mutating func apply(_ op: Operation, to machine: inout Machine) throws(OperationError) -> Outcome {
        if case .batch(let b) = op { return try run(b, on: &machine) }   // each operation records itself
        let outcome = try perform(op, on: &machine)
        if recorded != nil { recorded!.append(Self.named(op, by: outcome)) }
        return outcome
    }

    /// `op` with a fresh handle replaced by the address its allocation got (0 when it failed).
    static func named(_ op: Operation, by outcome: Outcome) -> Operation {
        guard op.handle == fresh else { return op }
        let handle: Handle
        switch outcome {
        case .address(let p): handle = .pointer(p?.rawValue ?? 0)
        case .pages(let p): handle = .pointer(UInt64(p?.rawValue ?? 0))
        case .done, .cache: return op
        }
        switch op {
        case let .kmalloc(_, size, flags, site): return .kmalloc(handle, size: size, flags: flags, site: site)
        case let .vmalloc(_, size, align, flags, site): return .vmalloc(handle, size: size, align: align, flags: flags, site: site)
        case let .kvmalloc(_, size, align, flags, site): return .kvmalloc(handle, size: size, align: align, flags: flags, site: site)
        case let .kmemCacheAlloc(cache, _, flags, site): return .kmemCacheAlloc(cache: cache, handle, flags: flags, site: site)
        case let .allocPages(_, order, flags, owner): return .allocPages(handle, order: order, flags: flags, owner: owner)
        case let .rustRealloc(allocator, _, layout, old, flags):
            return .rustRealloc(allocator: allocator, handle, layout: layout, oldLayout: old, flags: flags)
        default: return op
        }
    }

    mutating func perform(_ op: Operation, on machine: inout Machine) throws(OperationError) -> Outcome {
        switch op {
        case let .kmalloc(h, size, flags, site):
            return allocated(h, Kmalloc.kmalloc(size, flags: flags, site: machine.site(site), in: &machine))
        case let .vmalloc(h, size, align, flags, site):
            return allocated(h, Vmalloc.vmalloc(size, align: align, flags: flags, site: machine.site(site), in: &machine))
        case let .kvmalloc(h, size, align, flags, site):
            return allocated(h, KVmalloc.kvmalloc(size, align: align, flags: flags, site: machine.site(site), in: &machine))
        case let .kfree(h, site), let .vfree(h, site), let .kvfree(h, site):
            try free(op, h, site: site, on: &machine)
            return .done
        case .krealloc, .vrealloc, .kvrealloc:
            return try reallocate(op, on: &machine)
        case .kmemCacheCreate, .kmemCacheAlloc, .kmemCacheFree:
            return try cacheOperation(op, on: &machine)
        case .allocPages, .freePages:
            return try pageOperation(op, on: &machine)
        case let .rustRealloc(allocator, h, layout, old, flags):
            return rustRealloc(allocator, h, layout: layout, oldLayout: old, flags: flags, on: &machine)
        case let .vector(v, name, allocator, flags):
            vectorOperation(v, name: name, allocator: allocator, flags: flags, on: &machine)
            return .done
        case let .write(h, bytes):
            guard let p = address(of: h) else { throw .noAllocation(h) }
            machine.writeBytes(bytes, at: p)
            return .done
        case .narrate:
            return .done
        case .batch(let b):
            return try run(b, on: &machine)
        }
    }

    /// The address `h` names: the allocation made under it, or for an address handle, the address.
    func address(of h: Handle) -> VirtualAddress? {
        if let p = live[h] { return p }
        if case .pointer(let raw) = h { return VirtualAddress(raw) }
        return nil
    }

    /// Enters a successful allocation under its handle.
    mutating func allocated(_ h: Handle, _ p: VirtualAddress?) -> Outcome {
        // An address handle that is the address itself needs no entry: it resolves literally.
        if let p, h != Self.fresh, h != Handle(p) {
            live[h] = p
            if case .id(let name) = h { freedIDs[name] = nil }
        }
        return .address(p)
    }

    /// Takes `h` out of the live table, remembering a symbolic name as freed.
    mutating func forget(_ h: Handle) -> VirtualAddress? {
        guard let p = live.removeValue(forKey: h) else { return nil }
        if case .id(let name) = h { freedIDs[name] = p }
        return p
    }
}

extension Machine {
    /// The interned call site of a name, or the default site.
    mutating func site(_ name: String?) -> CallSite { name.map { callSite($0) } ?? .unknown }
}

extension OperationRunner {
    /// The address `h` names now: the live allocation made under it, or, for an address handle
    /// that names none, the address itself; nil for a symbolic name with nothing live.
    public func resolve(_ h: Handle) -> VirtualAddress? { address(of: h) }
}
