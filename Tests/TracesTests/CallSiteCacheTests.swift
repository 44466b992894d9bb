import HeapModel
import MemtopTestSupport
import Testing
import Traces

/// 6.1's `kmem_cache_alloc` prints no cache name: a placed replay learns a call site's cache from
/// the first `kmem_cache_free name=` of one of its objects (`kmem_cache_alloc(cachep, ...)` names
/// one cache per call site), and the slabs it had kept in a provisional cache for that site move.
@Suite("A call site's cache, learned from named frees")
struct CallSiteCacheTests {
    static let prefix = "           <...>-412     [001] .... 1201.0000"

    static func replay(_ bodies: [String]) throws(TraceInputError) -> Machine {
        var m = TestMachines.kernel(ram: 512 << 20, kernel: .v6_1)
        var r = FtraceReplayer(file: "sites.txt", kernel: .v6_1, check: false, placement: true)
        for (k, body) in bodies.enumerated() {
            let text = prefix + (k < 10 ? "0" : "") + "\(k): " + body
            try r.apply(text[...], line: k + 1, strict: true, to: &m)
        }
        return m
    }

    static func alloc(_ site: String, _ ptr: String) -> String {
        "kmem_cache_alloc: call_site=\(site)+0x50/0x300 ptr=\(ptr) bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL node=-1 accounted=false"
    }

    static func free(_ ptr: String, _ name: String) -> String {
        "kmem_cache_free: call_site=free_vmap_area_noflush+0x1a/0x100 ptr=\(ptr) name=\(name)"
    }

    /// Slabs (order 0 here) and objects in use of the cache called `name`.
    static func counts(_ m: Machine, _ name: String) -> (slabs: Int, inUse: Int) {
        guard let c = m.cache(named: name) else { return (0, 0) }
        return (c.slabPages, c.objectsInUse)
    }

    @Test("Objects of a site seen before its cache was named end in that cache, and so do later ones")
    func learnedSite() throws {
        let m = try Self.replay([
            Self.alloc("alloc_vmap_area", "ffff888004a1b000"),
            Self.alloc("alloc_vmap_area", "ffff888004a2b000"),
            Self.free("ffff888004a1b000", "vmap_area"),
            Self.alloc("alloc_vmap_area", "ffff888004a3b000"),
        ])
        #expect(Self.counts(m, "vmap_area") == (3, 2))
        #expect(Self.counts(m, "cache-64-64") == (0, 0))
        try m.validateInvariants()
    }

    @Test("A site whose objects are freed under two names (a helper like mempool_alloc) names no cache")
    func ambiguousSite() throws {
        let m = try Self.replay([
            Self.alloc("mempool_alloc", "ffff888004a1b000"),
            Self.alloc("mempool_alloc", "ffff888004a2b000"),
            Self.free("ffff888004a1b000", "bio-64"),
            Self.free("ffff888004a2b000", "zs_handle"),
            Self.alloc("mempool_alloc", "ffff888004a3b000"),
        ])
        #expect(Self.counts(m, "bio-64").inUse == 0)
        #expect(Self.counts(m, "zs_handle").inUse == 0)
        #expect(Self.counts(m, "cache-64-64") == (1, 1))
        try m.validateInvariants()
    }
}
