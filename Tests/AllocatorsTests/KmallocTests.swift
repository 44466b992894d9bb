import Allocators
import HeapModel
import MemtopTestSupport
import Testing

@Suite("Kmalloc on SLUB")
struct KmallocTests {
    @Test("Size to class as the kernel's size_index and fls() decide", arguments: [
        (1, 8), (8, 8), (9, 16), (17, 32), (33, 64), (65, 96), (72, 96), (96, 96), (97, 128), (112, 128),
        (129, 192), (192, 192), (193, 256), (257, 512), (1000, 1024), (2049, 4096), (4097, 8192), (8192, 8192),
    ])
    func sizeClasses(size: Int, bytesAlloc: Int) {
        #expect(KmallocSizes.classSize(index: KmallocSizes.index(forSize: size)) == bytesAlloc)
    }

    @Test("kmalloc events carry bytes_req and bytes_alloc; flags pick cg, rcl and dma caches")
    func eventsAndTypes() throws {
        var m = TestMachines.kernel()
        m.setRecording(true)
        let p = try #require(Kmalloc.kmalloc(72, flags: .kernel, in: &m))
        let events = m.takeEvents()
        guard case let .objectAllocated(ptr, req, alloc, _, cache, _)? = events.last?.kind else { Issue.record("no kmalloc event"); return }
        #expect(ptr == p && req == 72 && alloc == 96)
        #expect(cache.map { m.cache($0).name } == "kmalloc-96")
        #expect(events.contains { if case .slabCreated = $0.kind { true } else { false } })
        #expect(events.contains { if case .pagesAllocated = $0.kind { true } else { false } })
        for (flags, name) in [(GFPFlags.kernelAccount, "kmalloc-cg-64"), ([.kernel, .reclaimable], "kmalloc-rcl-64"),
                              ([.kernel, .reclaimable, .account], "kmalloc-rcl-64"), ([.kernel, .dma], "dma-kmalloc-64")] {
            let q = try #require(Kmalloc.kmalloc(64, flags: flags, in: &m))
            #expect(m.locateObject(q).map { m.cache($0.cache).name } == name)
        }
        // The rcl slab came from Reclaimable pages, the dma one from ZONE_DMA.
        let rcl = try #require(Kmalloc.kmalloc(64, flags: [.kernel, .reclaimable], in: &m))
        #expect(m.pageblockMigrateType(of: rcl.directMapFrame!) == .reclaimable)
        let dma = try #require(Kmalloc.kmalloc(64, flags: [.kernel, .dma], in: &m))
        #expect(m.zone(containing: dma.directMapFrame!) == .dma)
        try m.validateInvariants()
    }

    @Test("kmalloc(0) is ZERO_SIZE_PTR with no event; kfree of NULL and ZERO_SIZE_PTR only traces")
    func zeroSize() {
        var m = TestMachines.kernel()
        m.setRecording(true)
        let before = m
        #expect(Kmalloc.kmalloc(0, flags: .kernel, in: &m) == .zeroSizePointer)
        #expect(m.takeEvents().isEmpty)
        #expect(Kmalloc.kfree(.zeroSizePointer, in: &m) == nil)
        #expect(Kmalloc.kfree(.null, in: &m) == nil)
        #expect(m.takeEvents().count == 2)
        #expect(m == before)
    }

    @Test("Large kmalloc: get_order pages with __GFP_COMP, bytes_alloc a whole block, never in slabinfo")
    func largeKmalloc() throws {
        var m = TestMachines.kernel()
        m.setRecording(true)
        let slabinfo = m.slabinfo()
        let p = try #require(Kmalloc.kmalloc(9000, flags: .kernel, in: &m))
        let events = m.takeEvents()
        #expect(events.contains {
            if case let .pagesAllocated(_, order, _, gfp, _) = $0.kind { return order == 2 && gfp.contains(.comp) }
            return false
        })
        guard case let .objectAllocated(_, _, alloc, _, cache, _)? = events.last?.kind else { Issue.record("no kmalloc event"); return }
        #expect(alloc == 16384 && cache == nil)
        #expect(Kmalloc.ksize(p, in: m) == 16384)
        #expect(m.slabinfo() == slabinfo)
        #expect(Kmalloc.kfree(p, in: &m) == nil)
        #expect(m.totalFreePages == TestMachines.kernel().totalFreePages)
        // Above KMALLOC_MAX_SIZE it fails, with a warning unless __GFP_NOWARN.
        #expect(Kmalloc.kmalloc(KmallocSizes.maxSize + 1, flags: .kernel, in: &m) == nil)
        guard case let .allocationFailed(_, _, _, warn)? = m.takeEvents().last?.kind else { Issue.record("no failure event"); return }
        #expect(warn)
    }

    /// The flags of every page allocation `body` makes, in order.
    static func pageFlags(_ m: inout Machine, _ body: (inout Machine) -> Void) -> [(order: Int, gfp: GFPFlags)] {
        m.setRecording(true)
        _ = m.takeEvents()
        body(&m)
        return m.takeEvents().compactMap { event in
            if case let .pagesAllocated(_, order, _, gfp, _) = event.kind { return (order.rawValue, gfp) }
            return nil
        }
    }

    @Test("__GFP_COMP on slab pages: 6.1 only when the preferred order is above 0 (then for the s->min retry too); 6.18 always")
    func slabPagesCompound() throws {
        var m61 = TestMachines.kernel(kernel: .v6_1)
        let small61 = Self.pageFlags(&m61) { _ = Kmalloc.kmalloc(64, flags: .kernel, in: &$0) }
        #expect(small61.map { $0.gfp.traceString(.v6_1) } == ["GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY"])
        var m618 = TestMachines.kernel(kernel: .v6_18)
        let small618 = Self.pageFlags(&m618) { _ = Kmalloc.kmalloc(64, flags: .kernel, in: &$0) }
        #expect(small618.map { $0.gfp.traceString(.v6_18) } == ["GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY|__GFP_COMP"])
        // kmalloc-512 prefers order 1; with no order-1 block the first attempt fails and the retry at
        // s->min (order 0) keeps the cache's allocflags, __GFP_COMP included, in both kernels.
        for kernel in [KernelVersion.v6_1, .v6_18] {
            var m = try TestMachines.fragmentedKernel(kernel)
            let attempts = Self.pageFlags(&m) { _ = Kmalloc.kmalloc(512, flags: .kernel, in: &$0) }
            #expect(attempts.map(\.order) == [0], "\(kernel)")
            #expect(attempts.last?.gfp.traceString(kernel) == "GFP_KERNEL|__GFP_COMP", "\(kernel)")
        }
    }

    @Test("Large kmalloc passes __GFP_ZERO to the page allocator, which zeroes the whole block")
    func largeKmallocZero() throws {
        var m = TestMachines.kernel(kernel: .v6_1)
        // Leave garbage in a 16 KiB block, free it, and take it back zeroed.
        let dirty = try #require(Kmalloc.kmalloc(16384, flags: .kernel, in: &m))
        m.writeBytes(Array(repeating: 0xa5, count: 16384), at: dirty)
        Kmalloc.kfree(dirty, in: &m)
        m.setRecording(true)
        let p = try #require(Kmalloc.kmalloc(14080, flags: [.kernel, .zero], in: &m))
        #expect(p == dirty)
        // The real 6.1 capture: mm_page_alloc order=2 gfp_flags=GFP_KERNEL|__GFP_COMP|__GFP_ZERO, then
        // kmalloc bytes_req=14080 bytes_alloc=16384.
        let gfp = m.takeEvents().compactMap { event -> GFPFlags? in
            if case let .pagesAllocated(_, order, _, gfp, _) = event.kind, order == 2 { return gfp }
            return nil
        }
        #expect(gfp.map { $0.traceString(.v6_1) } == ["GFP_KERNEL|__GFP_COMP|__GFP_ZERO"])
        #expect(m.readBytes(at: p, count: 16384) == Array(repeating: 0, count: 16384))
    }

    @Test("A slab's life: partial, full, empty, kept up to min_partial, then returned to the buddy allocator")
    func slabLifecycle() throws {
        var m = TestMachines.kernel()
        let cacheID = try #require(m.kmallocCache(type: .normal, index: KmallocSizes.index(forSize: 4096)))
        let per = m.cache(cacheID).geometry.objectsPerSlab      // 8 objects in 8 pages
        let slabsWanted = 12
        var objects: [VirtualAddress] = []
        for _ in 0..<(per * slabsWanted) { objects.append(try #require(Kmalloc.kmalloc(4096, flags: .kernel, in: &m))) }
        #expect(m.cache(cacheID).slabCount == slabsWanted)
        #expect(m.cache(cacheID).activeObjects == per * slabsWanted)
        let freeBefore = m.totalFreePages
        // Free everything but the last slab (the CPU's active slab). A slab that empties while the
        // partial list already holds min_partial (6 for kmalloc-4k) slabs, itself included, is
        // discarded (`n->nr_partial >= s->min_partial` in __slab_free), so 5 empty slabs stay.
        for p in objects.prefix(per * (slabsWanted - 1)) { #expect(Kmalloc.kfree(p, in: &m) == nil) }
        let cache = m.cache(cacheID)
        let kept = cache.geometry.minPartial - 1
        #expect(cache.partialCount == kept)
        #expect(cache.emptySlabs == kept)
        #expect(cache.slabCount == kept + 1)
        #expect(m.totalFreePages == freeBefore + (slabsWanted - 1 - kept) * 8)
        // Free slots on the partial list are not active; the CPU slab's are.
        #expect(cache.activeObjects == cache.totalObjects - kept * per)
        try m.validateInvariants()
    }

    @Test("krealloc stays in place within ksize, moves beyond it, and keeps the contents")
    func krealloc() throws {
        var m = TestMachines.kernel()
        let p = try #require(Kmalloc.kmalloc(40, flags: .kernel, in: &m))
        m.writeBytes(Array(1...40), at: p)
        #expect(try Kmalloc.krealloc(p, newSize: 64, flags: .kernel, in: &m).get() == p)   // kmalloc-64 slot
        let q = try #require(try Kmalloc.krealloc(p, newSize: 100, flags: .kernel, in: &m).get())
        #expect(q != p)
        #expect(m.readBytes(at: q, count: 40) == Array(1...40))
        #expect(m.locateObject(p)?.inUse == false)
        #expect(try Kmalloc.krealloc(q, newSize: 0, flags: .kernel, in: &m).get() == .zeroSizePointer)
        try m.validateInvariants()
    }

    @Test("krealloc in place with __GFP_ZERO zeroes [new_size, ksize); a move copies the whole old object")
    func kreallocZeroTail() throws {
        var m = TestMachines.kernel()
        let p = try #require(Kmalloc.kmalloc(64, flags: .kernel, in: &m))
        m.writeBytes(Array(repeating: 0xcc, count: 64), at: p)
        // Shrink in place within kmalloc-64: the spare memory past the new size is zeroed ...
        #expect(try Kmalloc.krealloc(p, newSize: 40, flags: [.kernel, .zero], in: &m).get() == p)
        #expect(m.readBytes(at: p, count: 40) == Array(repeating: 0xcc, count: 40))
        #expect(m.readBytes(at: p.advanced(by: 40), count: 24) == Array(repeating: 0, count: 24))
        // ... and without __GFP_ZERO nothing is touched.
        m.writeBytes(Array(repeating: 0xdd, count: 64), at: p)
        #expect(try Kmalloc.krealloc(p, newSize: 48, flags: .kernel, in: &m).get() == p)
        #expect(m.readBytes(at: p, count: 64) == Array(repeating: 0xdd, count: 64))
        // Moving copies ksize (64) bytes, not the 48 last asked for.
        let q = try #require(try Kmalloc.krealloc(p, newSize: 100, flags: .kernel, in: &m).get())
        #expect(q != p)
        #expect(m.readBytes(at: q, count: 64) == Array(repeating: 0xdd, count: 64))
        try m.validateInvariants()
    }

    @Test("__GFP_ZERO zeroes; without it a reused slot shows what the previous owner left")
    func contents() throws {
        var m = TestMachines.kernel()
        let p = try #require(Kmalloc.kmalloc(64, flags: .kernel, in: &m))
        m.writeBytes([UInt8](repeating: 0xab, count: 64), at: p)
        Kmalloc.kfree(p, in: &m)
        let q = try #require(Kmalloc.kmalloc(64, flags: .kernel, in: &m))
        #expect(q == p)   // SLUB's LIFO freelist hands the same slot back
        #expect(m.readBytes(at: q, count: 4) == [0xab, 0xab, 0xab, 0xab])
        Kmalloc.kfree(q, in: &m)
        let z = try #require(Kmalloc.kmalloc(64, flags: [.kernel, .zero], in: &m))
        #expect(m.readBytes(at: z, count: 64) == [UInt8](repeating: 0, count: 64))
    }

    @Test("Misuse is reported KASAN-style and changes nothing", arguments: ["double", "interior", "unknown", "vmalloc"])
    func misuse(kind: String) throws {
        var m = TestMachines.kernel()
        let p = try #require(Kmalloc.kmalloc(64, flags: .kernel, in: &m))
        let v = try #require(Vmalloc.vmalloc(8192, in: &m))
        var target = p
        var expected = ContractViolation.Kind.invalidFree
        switch kind {
        case "double": Kmalloc.kfree(p, in: &m); expected = .doubleFree
        case "interior": target = p.advanced(by: 8)
        case "unknown": target = VirtualAddress(0xffff_8880_dead_0000)
        default: target = v; expected = .wrongAllocator
        }
        let before = m
        m.setRecording(true)
        let violation = try #require(Kmalloc.kfree(target, in: &m))
        #expect(violation.kind == expected)
        if expected == .wrongAllocator {
            // KASAN has no such bug type: memtop's own check says it is memtop's.
            #expect(violation.report.contains("memtop: Allocator contract violated in kfree") && !violation.report.contains("KASAN"))
        } else {
            #expect(violation.report.contains("BUG: KASAN: \(expected.rawValue) in kfree"))
        }
        if kind == "double" { #expect(violation.report.contains("Freed by task 1:")) }
        m.setRecording(false)
        #expect(m == before)
        #expect(m.takeEvents().contains { if case .contractViolated = $0.kind { true } else { false } })
    }

    @Test("Seeded kmalloc/kfree sequences keep every invariant", arguments: [UInt64(11), 12, 13])
    func randomSequences(seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        var m = TestMachines.kernel(ram: 256 << 20, kernel: seed % 2 == 0 ? .v6_1 : .v6_18)
        var live: [VirtualAddress] = []
        let sizes = [8, 24, 72, 100, 200, 512, 1000, 3000, 5000, 9000, 70000]
        let flags: [GFPFlags] = [.kernel, .kernelAccount, [.kernel, .reclaimable], [.kernel, .zero]]
        for step in 0..<3000 {
            if live.isEmpty || rng.next() % 100 < 55 {
                let size = sizes[Int(rng.next() % UInt64(sizes.count))]
                if let p = Kmalloc.kmalloc(size, flags: flags[Int(rng.next() % 4)], in: &m) { live.append(p) }
            } else {
                let p = live.remove(at: Int(rng.next() % UInt64(live.count)))
                #expect(Kmalloc.kfree(p, in: &m) == nil)
            }
            if step % 100 == 0 {
                do { try m.validateInvariants() } catch { Issue.record("seed \(seed) step \(step): \(error)"); return }
            }
        }
        for p in live { Kmalloc.kfree(p, in: &m) }
        try m.validateInvariants()
        for cache in m.slabCaches { #expect(cache.objectsInUse == 0) }
    }
}

@Suite("Named caches and running out of memory")
struct KmemCacheAndOOMTests {
    @Test("kmem_cache_create sizes slots as SLUB does")
    func namedCaches() throws {
        var m = TestMachines.kernel()
        let plain = try #require(KmemCache.create("memtop_node", objectSize: 52, in: &m))
        #expect(m.cache(plain).geometry.size == 56)
        let aligned = try #require(KmemCache.create("memtop_aligned", objectSize: 52, flags: .hardwareCacheAlign, in: &m))
        #expect(m.cache(aligned).geometry.size == 64)
        let ctor = try #require(KmemCache.create("memtop_ctor", objectSize: 64, hasConstructor: true, in: &m))
        // Sizes no slab can hold are refused, as kmem_cache_create fails.
        #expect(KmemCache.create("memtop_huge", objectSize: 8 << 20, in: &m) == nil)
        #expect(KmemCache.create("memtop_empty", objectSize: 0, in: &m) == nil)
        #expect(m.cache(ctor).geometry.size == 72)
        // The newest cache is slabinfo's first row.
        #expect(m.slabinfo().split(separator: "\n")[2].hasPrefix("memtop_ctor "))
        let p = try #require(KmemCache.alloc(plain, flags: .kernel, in: &m))
        #expect(KmemCache.free(aligned, p, in: &m)?.kind == .wrongAllocator)
        #expect(KmemCache.free(plain, p, in: &m) == nil)
        #expect(KmemCache.free(plain, p, in: &m)?.kind == .doubleFree)
    }

    @Test("Out of memory: AllocError with a warning, live allocations intact, atomic reserves only for atomic callers")
    func outOfMemory() throws {
        var m = TestMachines.kernel(ram: 128 << 20)
        var live: [Allocation] = []
        let layout = Layout(size: 64 << 10, align: 8)!
        m.setRecording(true)
        var failure: AllocError?
        while failure == nil {
            do {
                let a = try Kmalloc.alloc(layout, flags: .kernel, in: &m)
                m.writeBytes([UInt8(truncatingIfNeeded: live.count)], at: a.pointer)
                live.append(a)
            } catch {
                failure = error
            }
            _ = m.takeEvents().last   // keep the log small
        }
        #expect(failure == AllocError(.outOfMemory))
        #expect(live.count > 100)
        // The failure warned (no __GFP_NOWARN).
        #expect(throws: AllocError.self) { try Kmalloc.alloc(layout, flags: .kernel, in: &m) }
        #expect(m.takeEvents().contains { if case .allocationFailed(_, _, _, true) = $0.kind { true } else { false } })
        for (i, a) in live.enumerated() { #expect(m.readBytes(at: a.pointer, count: 1) == [UInt8(truncatingIfNeeded: i)]) }
        // GFP_KERNEL is stopped at the min watermark; GFP_ATOMIC may go below it.
        while Kmalloc.kmalloc(4096, flags: [.kernel, .noWarn], in: &m) != nil {}
        let dma32 = m[zone: .dma32]
        #expect(dma32.freePages > dma32.watermarks.min - 8)   // a 4k slab is 8 pages
        var atomic = 0
        while Kmalloc.kmalloc(4096, flags: GFPFlags.atomic(m.configuration.kernel).union(.noWarn), in: &m) != nil { atomic += 1 }
        #expect(atomic > 0)
        #expect(m[zone: .dma32].freePages < dma32.watermarks.min)
        try m.validateInvariants()
    }
}
