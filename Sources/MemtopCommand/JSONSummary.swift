import HeapModel

/// The `--summary json` objects, written without Foundation.
enum JSONSummary {
    static func string(_ s: String) -> String { jsonQuoted(s) }

    static func object(_ fields: [(String, String)]) -> String {
        "{" + fields.map { string($0.0) + ":" + $0.1 }.joined(separator: ",") + "}"
    }

    static func array(_ items: [String]) -> String { "[" + items.joined(separator: ",") + "]" }

    static func zones(_ m: Machine) -> String {
        array(m.populatedZones.map { z in
            object([("zone", string(z.kind.description)), ("managed", "\(z.managedPages)"), ("free", "\(z.freePages)"),
                    ("min", "\(z.watermarks.min)"), ("low", "\(z.watermarks.low)"), ("high", "\(z.watermarks.high)"),
                    ("nr_free", array(z.nrFree.map { "\($0)" })),
                    ("largest_free_order", Fragmentation.largestFreeOrder(nrFree: z.nrFree).map { "\($0)" } ?? "null")])
        })
    }

    static func sites(_ r: AllocationReport, _ m: Machine) -> String {
        array(r.rankedSites(m).map { _, name, t in
            object([("call_site", string(name)), ("count", "\(t.count)"), ("bytes_req", "\(t.requested)"),
                    ("bytes_alloc", "\(t.allocated)")])
        })
    }

    static func caches(_ m: Machine) -> String {
        array(m.cacheWaste().map { w in
            object([("cache", string(w.name)), ("objects", "\(w.objects)"), ("bytes_req", "\(w.requested)"),
                    ("slot_bytes", "\(w.slotBytes)"), ("slab_bytes", "\(w.slabBytes)")])
        })
    }

    static func violations(_ r: AllocationReport) -> String {
        array(r.violations.map { v in
            object([("kind", string(v.kind.rawValue)), ("ptr", string(v.address.description)), ("function", string(v.function.description)),
                    ("report", string(v.report))])
        })
    }
}
