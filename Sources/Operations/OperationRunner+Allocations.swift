import Allocators
import HeapModel

extension OperationRunner {
    /// `kfree`, `vfree`, `kvfree`: a live handle, an address taken literally, or a symbolic name
    /// freed before (so the allocator sees, and reports, the double free).
    mutating func free(_ op: Operation, _ h: Handle, site: String?, on machine: inout Machine) throws(OperationError) {
        let p: VirtualAddress
        if let q = forget(h) {
            p = q
        } else if case .pointer(let raw) = h {
            p = VirtualAddress(raw)
        } else if case .id(let name) = h, let q = freedIDs[name] {
            p = q
        } else {
            throw .noAllocation(h)
        }
        let s = machine.site(site)
        switch op {
        case .vfree: Vmalloc.vfree(p, site: s, in: &machine)
        case .kvfree: KVmalloc.kvfree(p, site: s, in: &machine)
        default: Kmalloc.kfree(p, site: s, in: &machine)
        }
    }

    /// `krealloc`, `vrealloc`, `kvrealloc`. A handle that names nothing live reallocates NULL,
    /// which allocates.
    mutating func reallocate(_ op: Operation, on machine: inout Machine) throws(OperationError) -> Outcome {
        let result: Result<VirtualAddress?, ContractViolation>
        let handle: Handle, size: Int
        switch op {
        case let .krealloc(h, n, flags, site):
            (handle, size) = (h, n)
            result = Kmalloc.krealloc(address(of: h) ?? .null, newSize: n, flags: flags, site: machine.site(site), in: &machine)
        case let .vrealloc(h, n, align, flags, site):
            (handle, size) = (h, n)
            result = Vmalloc.vrealloc(address(of: h) ?? .null, newSize: n, align: align, flags: flags, site: machine.site(site),
                                      in: &machine)
        case let .kvrealloc(h, n, align, flags, oldSize, rules, site):
            (handle, size) = (h, n)
            result = KVmalloc.kvrealloc(address(of: h) ?? .null, oldSize: oldSize, newSize: n, align: align, flags: flags,
                                        site: machine.site(site), rules: rules, in: &machine)
        default:
            return .done
        }
        guard case .success(let p) = result else { return .address(nil) }
        if let p {
            if size == 0 {
                _ = forget(handle)
            } else if case .id = handle {
                live[handle] = p
            } else {
                // An address handle names the old block; the new one is named by its own address.
                live[handle] = nil
            }
        }
        return .address(p)
    }

    /// `kmem_cache_create`, `kmem_cache_alloc`, `kmem_cache_free`.
    mutating func cacheOperation(_ op: Operation, on machine: inout Machine) throws(OperationError) -> Outcome {
        switch op {
        case .kmemCacheCreate(let spec):
            guard let id = KmemCache.create(spec.name, objectSize: spec.objectSize, align: spec.align, flags: spec.flags,
                                            hasConstructor: spec.hasConstructor, in: &machine) else {
                throw .cacheRefused(spec)
            }
            caches[spec.name] = id
            return .cache(id)
        case let .kmemCacheAlloc(name, h, flags, site):
            let cache = try cache(named: name, in: machine)
            return allocated(h, KmemCache.alloc(cache, flags: flags, site: machine.site(site), in: &machine))
        case let .kmemCacheFree(name, h, site):
            let cache = try cache(named: name, in: machine)
            guard let p = forget(h) ?? address(of: h) else { throw .noObject(h) }
            KmemCache.free(cache, p, site: machine.site(site), in: &machine)
            return .done
        default:
            return .done
        }
    }

    func cache(named name: String, in machine: Machine) throws(OperationError) -> CacheID {
        guard let id = caches[name] ?? machine.cache(named: name)?.id else { throw .noCache(name) }
        return id
    }

    /// `alloc_pages` and `free_pages`. Blocks are remembered under their handle only when it does
    /// not already say where they are (a recording's pfn), so a long recording keeps no table.
    mutating func pageOperation(_ op: Operation, on machine: inout Machine) throws(OperationError) -> Outcome {
        switch op {
        case let .allocPages(h, order, flags, owner):
            let pfn = try? machine.allocPages(order: order, gfp: flags, owner: owner == .outside ? .outside : .pages)
            if let pfn, h != Self.fresh, h != .pointer(UInt64(pfn.rawValue)) { pages[h] = (pfn, order) }
            return .pages(pfn)
        case .freePages(let h):
            if let block = pages.removeValue(forKey: h) {
                try? machine.freePages(block.pfn, order: block.order)
                return .done
            }
            // Only blocks alloc_pages made: freeing a slab's or vmalloc area's pages under it would
            // leave the slab or area pointing at free memory.
            guard case .pointer(let raw) = h, raw < UInt64(Int32.max) else { throw .noPages(h) }
            let pfn = PageFrameNumber(Int(raw))
            guard let order = machine.blockOrder(at: pfn), [.pages, .outside].contains(machine.owner(of: pfn)) else {
                throw .noPages(h)
            }
            try? machine.freePages(pfn, order: Order(order))
            return .done
        default:
            return .done
        }
    }
}
