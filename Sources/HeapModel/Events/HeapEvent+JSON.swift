/// The JSON Lines form of events, documented in `docs/events.md`.
extension HeapEvent {
    /// The `kind` string of the JSON form.
    public var kindName: String {
        switch kind {
        case .pagesAllocated: return "page_alloc"
        case .pagesFreed: return "page_free"
        case .pageAllocationFailed: return "page_alloc_fail"
        case .blockSplit: return "split"
        case .buddiesMerged: return "merge"
        case .fallbackTaken: return "extfrag"
        case .watermarkCrossed: return "watermark"
        case .badPageFree: return "bad_page"
        case .slabCreated: return "slab_new"
        case .slabDestroyed: return "slab_free"
        case .objectAllocated: return "kmalloc"
        case .cacheObjectAllocated: return "kmem_cache_alloc"
        case .objectFreed: return "kfree"
        case .cacheObjectFreed: return "kmem_cache_free"
        case .allocationFailed: return "alloc_fail"
        case .contractViolated: return "violation"
        case .areaAllocated: return "vmalloc"
        case .areaFreed: return "vfree"
        case .areaResizedInPlace: return "vrealloc"
        case .vmapPurged: return "vmap_purge"
        case .rustReallocated: return "realloc"
        }
    }

    /// One JSON object on one line (no trailing newline). GFP flags appear twice: `gfp` as the
    /// kernel prints them for the machine's kernel, `gfp_raw` as a hex string; caches and call sites
    /// by name.
    public func jsonLine(in machine: Machine, line: Int? = nil) -> String {
        var fields: [(String, JSONValue)] = [("seq", .int(Int(sequence))), ("kind", .string(kindName))]
        if let line { fields.append(("line", .int(line))) }
        fields += pageFields(in: machine) ?? allocatorFields(in: machine)
        return "{" + fields.map { "\"\($0.0)\":\($0.1.encoded)" }.joined(separator: ",") + "}"
    }

    /// The payload of the page allocator's and the slab pages' events; nil for the others.
    func pageFields(in machine: Machine) -> [(String, JSONValue)]? {
        let kernel = machine.configuration.kernel
        func cacheName(_ id: CacheID) -> JSONValue { .string(machine.cache(id).name) }
        var fields: [(String, JSONValue)] = []
        switch kind {
        case let .pagesAllocated(pfn, order, type, gfp, zone):
            fields = [("pfn", .int(pfn.rawValue)), ("order", .int(order.rawValue)), ("migratetype", .int(type.rawValue)),
                       ("gfp", .string(gfp.traceString(kernel))), ("gfp_raw", .string(hex(gfp.rawValue))),
                       ("zone", .string(zone.description))]
        case let .pagesFreed(pfn, order, zone):
            fields = [("pfn", .int(pfn.rawValue)), ("order", .int(order.rawValue)), ("zone", .string(zone.description))]
        case let .pageAllocationFailed(order, gfp, warn):
            fields = [("order", .int(order.rawValue)), ("gfp", .string(gfp.traceString(kernel))),
                       ("gfp_raw", .string(hex(gfp.rawValue))), ("warn", .bool(warn))]
        case let .blockSplit(pfn, order, zone), let .buddiesMerged(pfn, order, zone):
            fields = [("pfn", .int(pfn.rawValue)), ("order", .int(order.rawValue)), ("zone", .string(zone.description))]
        case let .fallbackTaken(pfn, allocOrder, fallbackOrder, allocType, fallbackType, changed):
            fields = [("pfn", .int(pfn.rawValue)), ("order", .int(allocOrder.rawValue)), ("fallback_order", .int(fallbackOrder.rawValue)),
                       ("migratetype", .int(allocType.rawValue)), ("fallback_migratetype", .int(fallbackType.rawValue)),
                       ("change_ownership", .bool(changed))]
        case let .watermarkCrossed(zone, from, to, free):
            fields = [("zone", .string(zone.description)), ("from", .string(from.description)),
                       ("to", .string(to.description)), ("free_pages", .int(free))]
        case let .slabCreated(cache, pfn, order, objects):
            fields = [("cache", cacheName(cache)), ("pfn", .int(pfn.rawValue)), ("order", .int(order.rawValue)),
                       ("objects", .int(objects))]
        case let .slabDestroyed(cache, pfn, order):
            fields = [("cache", cacheName(cache)), ("pfn", .int(pfn.rawValue)), ("order", .int(order.rawValue))]
        default:
            return nil
        }
        return fields
    }

    /// The payload of the allocators' events (kmalloc, vmalloc, Rust, violations).
    func allocatorFields(in machine: Machine) -> [(String, JSONValue)] {
        let kernel = machine.configuration.kernel
        func cacheName(_ id: CacheID) -> JSONValue { .string(machine.cache(id).name) }
        var fields: [(String, JSONValue)] = []
        switch kind {
        case let .objectAllocated(ptr, req, alloc, gfp, cache, site):
            fields = [("ptr", .string(ptr.description)), ("bytes_req", .int(req)), ("bytes_alloc", .int(alloc)),
                       ("gfp", .string(gfp.traceString(kernel))), ("cache", cache.map(cacheName) ?? .null),
                       ("call_site", .string(machine.name(of: site)))]
        case let .cacheObjectAllocated(ptr, cache, gfp, site):
            let c = machine.cache(cache)
            fields = [("ptr", .string(ptr.description)), ("bytes_req", .int(c.objectSize)),
                       ("bytes_alloc", .int(c.geometry.size)), ("gfp", .string(gfp.traceString(kernel))),
                       ("cache", .string(c.name)), ("call_site", .string(machine.name(of: site)))]
        case let .objectFreed(ptr, site):
            fields = [("ptr", .string(ptr.description)), ("call_site", .string(machine.name(of: site)))]
        case let .cacheObjectFreed(ptr, cache, site):
            fields = [("ptr", .string(ptr.description)), ("cache", cacheName(cache)),
                       ("call_site", .string(machine.name(of: site)))]
        case let .allocationFailed(function, size, gfp, warn):
            fields = [("function", .string(function.description)), ("size", .int(size)), ("gfp", .string(gfp.traceString(kernel))),
                       ("warn", .bool(warn))]
        case let .areaAllocated(start, size, align, requested, gfp, site):
            fields = [("start", .string(start.description)), ("size", .int(size)), ("align", .int(align)),
                       ("bytes_req", .int(requested)), ("gfp", .string(gfp.traceString(kernel))),
                       ("call_site", .string(machine.name(of: site)))]
        case let .areaFreed(start, size, site):
            fields = [("start", .string(start.description)), ("size", .int(size)), ("call_site", .string(machine.name(of: site)))]
        case let .areaResizedInPlace(start, old, new):
            fields = [("start", .string(start.description)), ("old_size", .int(old)), ("bytes_req", .int(new))]
        case let .vmapPurged(areas, pages):
            fields = [("areas", .int(areas)), ("pages", .int(pages))]
        case let .rustReallocated(allocator, old, new, oldSize, newSize, align):
            fields = [("allocator", .string(allocator.rawValue)), ("old_ptr", old.map { .string($0.description) } ?? .null),
                       ("ptr", new.map { .string($0.description) } ?? .null), ("old_size", .int(oldSize)),
                       ("bytes_req", .int(newSize)), ("align", .int(align))]
        case let .contractViolated(v):
            fields = [("violation", .string(v.kind.rawValue)), ("ptr", .string(v.address.description)),
                       ("function", .string(v.function.description)), ("report", .string(v.report))]
        case let .badPageFree(bad):
            fields = [("pfn", .int(bad.pfn.rawValue)), ("order", .int(bad.order.rawValue)),
                       ("report", .string(bad.report))]
        default:
            break
        }
        return fields
    }
}

/// `s` as a JSON string literal.
package func jsonQuoted(_ s: String) -> String {
    var out = "\""
    for scalar in s.unicodeScalars {
        switch scalar {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        default:
            if scalar.value < 0x20 {
                let h = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }
    return out + "\""
}

/// `0x` and lower-case hex.
package func hex<T: BinaryInteger>(_ v: T) -> String { "0x" + String(v, radix: 16) }
