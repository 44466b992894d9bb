import HeapModel

/// Turns events into log lines, in the spirit of ftrace's text (splits and merges are left out:
/// they would drown everything else).
public enum EventFormatter {
    /// Whether ``lines(_:in:)`` gives `event` a warning or violation line (lines the log keeps
    /// even when too many events happened to show them all), decided without formatting.
    public static func isNotable(_ event: HeapEvent) -> Bool {
        switch event.kind {
        case .pageAllocationFailed(_, _, true), .badPageFree, .allocationFailed(_, _, _, true), .contractViolated: true
        case let .watermarkCrossed(_, _, to, _): to <= .belowLow
        default: false
        }
    }

    /// The log lines for `event`; empty for events the log does not show.
    public static func lines(_ event: HeapEvent, in machine: Machine) -> [LogLine] {
        let kernel = machine.configuration.kernel
        let seq = event.sequence
        func line(_ text: String, _ kind: LogLine.Kind = .event) -> [LogLine] { [LogLine(kind: kind, text: text, sequence: seq)] }
        switch event.kind {
        case .blockSplit, .buddiesMerged: return []
        case let .pagesAllocated(pfn, order, type, gfp, zone):
            return line("mm_page_alloc pfn=\(pfn) order=\(order) migratetype=\(type.rawValue) \(zone) gfp_flags=\(gfp.traceString(kernel))")
        case let .pagesFreed(pfn, order, _):
            return line("mm_page_free pfn=\(pfn) order=\(order)")
        case let .pageAllocationFailed(order, gfp, warn):
            return warn ? line("page allocation failure: order:\(order), mode:\(hexString(gfp.rawValue))(\(gfp.traceString(kernel)))", .warning) : []
        case let .fallbackTaken(pfn, order, fallbackOrder, allocType, fallbackType, changed):
            return line("mm_page_alloc_extfrag pfn=\(pfn) alloc_order=\(order) fallback_order=\(fallbackOrder) \(allocType)<-\(fallbackType)"
                        + (changed ? " (pageblock claimed)" : ""))
        case let .watermarkCrossed(zone, _, to, free):
            return line("\(zone) free pages \(free): now \(to.description.replacingUnderscores)", to <= .belowLow ? .warning : .event)
        case let .badPageFree(bad):
            return line(bad.report, .violation)
        case let .slabCreated(cache, pfn, order, objects):
            return line("new slab of \(machine.cache(cache).name): pfn=\(pfn) order=\(order) objects=\(objects)")
        case let .slabDestroyed(cache, pfn, order):
            return line("empty slab of \(machine.cache(cache).name) returned: pfn=\(pfn) order=\(order)")
        case let .objectAllocated(ptr, req, alloc, gfp, cache, site):
            let where_ = cache.map { machine.cache($0).name } ?? "pages"
            return line("kmalloc \(machine.name(of: site)) ptr=\(ptr) bytes_req=\(req) bytes_alloc=\(alloc) \(where_) \(gfp.traceString(kernel))")
        case let .cacheObjectAllocated(ptr, cache, gfp, _):
            return line("kmem_cache_alloc \(machine.cache(cache).name) ptr=\(ptr) \(gfp.traceString(kernel))")
        case let .objectFreed(ptr, site):
            return ptr == .null ? [] : line("kfree \(machine.name(of: site)) ptr=\(ptr)")
        case let .cacheObjectFreed(ptr, cache, _):
            return line("kmem_cache_free \(machine.cache(cache).name) ptr=\(ptr)")
        case let .allocationFailed(function, size, gfp, warn):
            return warn ? line("\(function)(\(size), \(gfp.traceString(kernel))) failed", .warning) : []
        case let .areaAllocated(start, size, align, req, _, site):
            return line("vmalloc \(machine.name(of: site)) start=\(start) size=\(size) align=\(align) bytes_req=\(req)")
        case let .areaFreed(start, size, _):
            return line("vfree start=\(start) size=\(size) (range waits for the lazy purge)")
        case let .areaResizedInPlace(start, old, new):
            return line("vrealloc in place start=\(start) \(old) -> \(new) bytes")
        case let .vmapPurged(areas, pages):
            return line("purge_vmap_area_lazy: \(areas) areas, \(pages) pages returned to the vmalloc space")
        case let .rustReallocated(allocator, old, new, oldSize, newSize, align):
            let from = old.map { "\($0)" } ?? "None"
            let to = new.map { "\($0)" } ?? "dangling"
            return line("\(allocator.rawValue)::realloc \(from) (\(oldSize) B) -> \(to) (\(newSize) B, align \(align))")
        case let .contractViolated(v):
            // The report's substance, one log line each: title, access, sites, object.
            let lines = v.report.split(separator: "\n").map { String($0) }
                .filter { !$0.hasPrefix("=====") && !$0.isEmpty }
            return lines.map { LogLine(kind: .violation, text: $0, sequence: seq) }
        }
    }
}
