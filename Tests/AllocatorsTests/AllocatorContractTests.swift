import Allocators
import HeapModel
import MemtopTestSupport
import Testing

/// One contract checker run against all three allocator types, after swift-collections'
/// conformance checkers.
enum ContractChecker<A: Allocator> {
    static func layout(_ size: Int, _ align: Int = 8) -> Layout { Layout(size: size, align: align)! }

    static func allocReturnsAlignedAndSized(_ m: inout Machine) throws {
        for (size, align) in [(1, 1), (24, 8), (100, 32), (5000, 8), (70000, 64), (4096, 4096)] {
            let a = try A.alloc(layout(size, align), flags: .kernel, in: &m)
            #expect(a.size == size, "\(A.name) \(size)")
            #expect(a.pointer.rawValue % UInt64(max(align, A.minAlign)) == 0, "\(A.name) \(size)/\(align) at \(a.pointer)")
            try A.free(a.pointer, layout: layout(size, align), in: &m)
        }
    }

    static func sizeZeroFreesAndDangles(_ m: inout Machine) throws {
        let a = try A.alloc(layout(64), flags: .kernel, in: &m)
        // Alignment 64, so the dangling pointer (64) cannot be mistaken for ZERO_SIZE_PTR (16).
        let z = try A.realloc(a.pointer, layout: layout(0, 64), oldLayout: layout(64), flags: .kernel, in: &m)
        #expect(z.pointer == VirtualAddress(64) && z.size == 0)
        #expect(m.allocationAPI(at: a.pointer) == nil)
        // A zero-size old layout means the pointer is dangling and ignored.
        let b = try A.realloc(VirtualAddress(8), layout: layout(32), oldLayout: layout(0), flags: .kernel, in: &m)
        try A.free(b.pointer, layout: layout(32), in: &m)
    }

    static func growPreservesContents(_ m: inout Machine) throws {
        let a = try A.alloc(layout(100), flags: .kernel, in: &m)
        m.writeBytes(Array(0..<100), at: a.pointer)
        let b = try A.realloc(a.pointer, layout: layout(20000), oldLayout: layout(100), flags: .kernel, in: &m)
        #expect(b.size == 20000)
        #expect(m.readBytes(at: b.pointer, count: 100) == Array(0..<100))
        let c = try A.realloc(b.pointer, layout: layout(50), oldLayout: layout(20000), flags: .kernel, in: &m)
        #expect(m.readBytes(at: c.pointer, count: 50) == Array(0..<50))
        try A.free(c.pointer, layout: layout(50), in: &m)
    }

    static func failureKeepsOldAllocation(_ m: inout Machine) throws {
        let a = try A.alloc(layout(100), flags: .kernel, in: &m)
        m.writeBytes([1, 2, 3], at: a.pointer)
        let before = m
        // Larger than the whole machine: fails with AllocError, the old allocation untouched.
        #expect(throws: AllocError.self) {
            try A.realloc(a.pointer, layout: layout(1 << 33), oldLayout: layout(100), flags: [.kernel, .noWarn], in: &m)
        }
        #expect(m == before)
        #expect(m.readBytes(at: a.pointer, count: 3) == [1, 2, 3])
        try A.free(a.pointer, layout: layout(100), in: &m)
    }

    /// A larger alignment is reported as the v3 rule, and the allocator then does what its kernel
    /// does; whatever it did, the result (if any) is where the report says, and the old data is kept.
    static func alignmentGrowthIsReported(_ m: inout Machine) throws {
        let a = try A.alloc(layout(64, 8), flags: .kernel, in: &m)
        m.writeBytes([7, 8, 9], at: a.pointer)
        _ = m.takeEvents()
        m.setRecording(true)
        let result: Allocation?
        do { result = try A.realloc(a.pointer, layout: layout(128, 64), oldLayout: layout(64, 8), flags: .kernel, in: &m) } catch {
            #expect(error.violation == nil, "\(A.name): the rule is reported, not a refusal of the contract")
            result = nil
        }
        let reports = m.takeEvents().compactMap { e -> ContractViolation? in if case .contractViolated(let v) = e.kind { v } else { nil } }
        #expect(reports.map(\.kind) == [.alignmentGrowth], "\(A.name) on \(m.configuration.kernel)")
        #expect(reports.first?.report.contains("the new alignment may not exceed the old (Allocator v3)") == true)
        let live = result?.pointer ?? a.pointer
        #expect(m.readBytes(at: live, count: 3) == [7, 8, 9])
        try A.free(live, layout: result == nil ? layout(64, 8) : layout(128, 64), in: &m)
    }

    static func misuseIsRefused(_ m: inout Machine) throws {
        let a = try A.alloc(layout(64), flags: .kernel, in: &m)
        var before = m
        for (p, l, kind) in [(a.pointer, layout(80), ContractViolation.Kind.layoutMismatch),
                             (a.pointer.advanced(by: 8), layout(64), .invalidFree)] {
            do { try A.free(p, layout: l, in: &m); Issue.record("\(A.name) on \(m.configuration.kernel) accepted \(kind)") } catch {
                #expect(error.violation?.kind == kind, "\(A.name): \(error)")
            }
            #expect(m == before, "\(A.name) \(kind)")
        }
        try A.free(a.pointer, layout: layout(64), in: &m)
        before = m
        do { try A.free(a.pointer, layout: layout(64), in: &m); Issue.record("\(A.name) accepted a double free") } catch {
            #expect(error.violation?.kind == .doubleFree, "\(A.name): \(error)")
        }
        #expect(m == before)
    }

    /// Seeded random alloc/realloc/free with a content fingerprint per allocation.
    static func randomSequence(seed: UInt64, _ m: inout Machine) throws {
        var rng = SeededGenerator(seed: seed)
        var live: [(VirtualAddress, Layout, UInt8, Int)] = []   // pointer, layout, mark byte, marked prefix
        let sizes = [8, 40, 200, 1000, 4096, 9000, 40000]
        for step in 0..<400 {
            let r = rng.next() % 3
            if live.isEmpty || r == 0 {
                let l = layout(sizes[Int(rng.next() % 7)], [8, 16, 64][Int(rng.next() % 3)])
                let a = try A.alloc(l, flags: .kernel, in: &m)
                let mark = UInt8(truncatingIfNeeded: step)
                m.writeBytes([UInt8](repeating: mark, count: min(l.size, 16)), at: a.pointer)
                live.append((a.pointer, l, mark, min(l.size, 16)))
            } else if r == 1 {
                let i = Int(rng.next() % UInt64(live.count))
                let (p, old, mark, marked) = live[i]
                let new = layout(sizes[Int(rng.next() % 7)], old.align)
                let a = try A.realloc(p, layout: new, oldLayout: old, flags: .kernel, in: &m)
                let kept = min(marked, new.size)
                #expect(m.readBytes(at: a.pointer, count: kept) == [UInt8](repeating: mark, count: kept), "seed \(seed) step \(step)")
                live[i] = (a.pointer, new, mark, kept)
            } else {
                let (p, l, _, _) = live.remove(at: Int(rng.next() % UInt64(live.count)))
                try A.free(p, layout: l, in: &m)
            }
        }
        try m.validateInvariants()
        for (p, l, _, _) in live { try A.free(p, layout: l, in: &m) }
        try m.validateInvariants()
    }
}

@Suite("The Allocator contract, for Kmalloc, Vmalloc and KVmalloc")
struct AllocatorContractTests {
    func each(_ body: (inout Machine, String) throws -> Void) rethrows {
        for kernel in KernelVersion.allCases {
            var m = TestMachines.kernel(ram: 512 << 20, kernel: kernel)
            try body(&m, "\(kernel)")
        }
    }

    @Test("alloc returns at least the size, aligned to the layout and MIN_ALIGN")
    func aligned() throws {
        try each { m, _ in
            try ContractChecker<Kmalloc>.allocReturnsAlignedAndSized(&m)
            try ContractChecker<Vmalloc>.allocReturnsAlignedAndSized(&m)
            try ContractChecker<KVmalloc>.allocReturnsAlignedAndSized(&m)
        }
    }

    @Test("realloc to size 0 frees and returns a dangling pointer equal to the alignment")
    func sizeZero() throws {
        try each { m, _ in
            try ContractChecker<Kmalloc>.sizeZeroFreesAndDangles(&m)
            try ContractChecker<Vmalloc>.sizeZeroFreesAndDangles(&m)
            try ContractChecker<KVmalloc>.sizeZeroFreesAndDangles(&m)
        }
    }

    @Test("Growing and shrinking keep the first min(old, new) bytes")
    func contents() throws {
        try each { m, _ in
            try ContractChecker<Kmalloc>.growPreservesContents(&m)
            try ContractChecker<Vmalloc>.growPreservesContents(&m)
            try ContractChecker<KVmalloc>.growPreservesContents(&m)
        }
    }

    @Test("On failure the old allocation stays valid with its contents")
    func failure() throws {
        try each { m, _ in
            try ContractChecker<Kmalloc>.failureKeepsOldAllocation(&m)
            try ContractChecker<Vmalloc>.failureKeepsOldAllocation(&m)
            try ContractChecker<KVmalloc>.failureKeepsOldAllocation(&m)
        }
    }

    @Test("A larger alignment than the old is reported as the v3 rule; the allocators go on as their kernel's do")
    func alignment() throws {
        try each { m, _ in
            try ContractChecker<Kmalloc>.alignmentGrowthIsReported(&m)
            try ContractChecker<Vmalloc>.alignmentGrowthIsReported(&m)
            try ContractChecker<KVmalloc>.alignmentGrowthIsReported(&m)
        }
    }

    @Test("Kmalloc with a larger alignment: 6.18's krealloc moves a misaligned object, 6.12's and 6.1's keep it in place",
          arguments: KernelVersion.allCases)
    func kreallocAlignmentPerKernel(kernel: KernelVersion) throws {
        var m = TestMachines.kernel(ram: 512 << 20, kernel: kernel)
        // Two 96-byte objects: the second sits 96 bytes into its slab, aligned to 32 but not to 64.
        let first = try Kmalloc.alloc(Layout(size: 96, align: 8)!, flags: .kernel, in: &m)
        let second = try Kmalloc.alloc(Layout(size: 96, align: 8)!, flags: .kernel, in: &m)
        try #require(second.pointer.rawValue % 64 != 0 && second.pointer.rawValue % 32 == 0)
        m.setRecording(true)
        let moved = try Kmalloc.realloc(second.pointer, layout: Layout(size: 64, align: 64)!, oldLayout: Layout(size: 96, align: 8)!,
                                        flags: .kernel, in: &m)
        let report = m.takeEvents().compactMap { e -> String? in if case .contractViolated(let v) = e.kind { v.report } else { nil } }
        if kernel.kreallocTakesAlign {
            #expect(moved.pointer != second.pointer && moved.pointer.rawValue % 64 == 0)
            #expect(report.first?.contains("moved it to") == true)
        } else {
            // krealloc(p, 64) fits the 96-byte slot (6.1 rounds 64 to 64 too): the object stays, misaligned.
            #expect(moved.pointer == second.pointer)
            #expect(report.first?.contains("NOT aligned to 64") == true)
        }
        try Kmalloc.free(moved.pointer, layout: Layout(size: 64, align: 64)!, in: &m)
        try Kmalloc.free(first.pointer, layout: Layout(size: 96, align: 8)!, in: &m)
    }

    @Test("Wrong layout, interior pointer and double free are refused and change nothing")
    func misuse() throws {
        try each { m, _ in
            try ContractChecker<Kmalloc>.misuseIsRefused(&m)
            try ContractChecker<Vmalloc>.misuseIsRefused(&m)
            try ContractChecker<KVmalloc>.misuseIsRefused(&m)
        }
    }

    @Test("A pointer may only go back to the allocator type that made it")
    func wrongAllocator() throws {
        var m = TestMachines.kernel()
        let l = Layout(size: 64, align: 8)!
        let k = try Kmalloc.alloc(l, flags: .kernel, in: &m)
        let before = m
        do { try KVmalloc.free(k.pointer, layout: l, in: &m); Issue.record("accepted") } catch {
            #expect(error.violation?.kind == .wrongAllocator)
            #expect(error.violation?.report.contains("allocated by Kmalloc, passed to KVmalloc") == true)
        }
        do { try Vmalloc.free(k.pointer, layout: l, in: &m); Issue.record("accepted") } catch {
            #expect(error.violation?.kind == .wrongAllocator)
        }
        #expect(m == before)
    }

    @Test("Vmalloc refuses alignments above PAGE_SIZE, as the Rust Vmalloc does")
    func vmallocAlignment() {
        var m = TestMachines.kernel()
        #expect(throws: AllocError(.unsupportedAlignment)) { try Vmalloc.alloc(Layout(size: 8192, align: 8192)!, flags: .kernel, in: &m) }
        #expect(throws: AllocError(.unsupportedAlignment)) { try KVmalloc.alloc(Layout(size: 8192, align: 8192)!, flags: .kernel, in: &m) }
    }

    @Test("Seeded random sequences through all three allocators", arguments: [UInt64(1), 2, 3])
    func randomSequences(seed: UInt64) throws {
        var m = TestMachines.kernel(ram: 512 << 20, kernel: seed == 2 ? .v6_1 : .v6_18)
        try ContractChecker<Kmalloc>.randomSequence(seed: seed, &m)
        try ContractChecker<Vmalloc>.randomSequence(seed: seed &+ 100, &m)
        try ContractChecker<KVmalloc>.randomSequence(seed: seed &+ 200, &m)
    }
}

@Suite("KVmalloc, KVec and KBox")
struct KVmallocTests {
    @Test("kvmalloc's kmalloc attempt flags per kernel")
    func attemptFlags() {
        #expect(KVmalloc.kmallocFlags(.kernel, size: 16384, kernel: .v6_1).traceString(.v6_1) == "GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY")
        #expect(KVmalloc.kmallocFlags(.kernel, size: 16384, kernel: .v6_18).traceString(.v6_18) == "GFP_NOWAIT|__GFP_IO|__GFP_FS")
        #expect(KVmalloc.kmallocFlags(.kernel, size: 4096, kernel: .v6_18) == .kernel)
        // 6.12's kmalloc_gfp_adjust() (mm/util.c) still adds __GFP_NORETRY, as 6.1 does.
        #expect(KVmalloc.kmallocFlags(.kernel, size: 16384, kernel: .v6_12).traceString(.v6_12) == "GFP_KERNEL|__GFP_NOWARN|__GFP_NORETRY")
        #expect(KVmalloc.kmallocFlags([.kernel, .retryMayFail], size: 16384, kernel: .v6_1).contains(.noRetry) == false)
    }

    @Test("Under fragmentation a large kvmalloc falls back to vmalloc; no kernel falls back for atomic callers",
          arguments: KernelVersion.allCases)
    func fallback(kernel: KernelVersion) throws {
        var m = try TestMachines.fragmentedKernel(kernel)
        let p = try #require(KVmalloc.kvmalloc(64 << 10, flags: .kernel, in: &m), "\(kernel)")
        #expect(Vmalloc.isVmallocAddress(p, in: m))
        // vmalloc may sleep: 6.1's kvmalloc_node() (mm/util.c) and 6.18's __kvmalloc_node_noprof()
        // (mm/slub.c) both return NULL after the failed kmalloc when the flags cannot block.
        #expect(KVmalloc.kvmalloc(64 << 10, flags: GFPFlags.atomic(kernel), in: &m) == nil)
        #expect(KVmalloc.kvmalloc(64 << 10, flags: GFPFlags.noWait(kernel), in: &m) == nil)
        #expect(KVmalloc.kvfree(p, in: &m) == nil)
        try m.validateInvariants()
    }

    @Test("6.1 kvrealloc with atomic flags fails after the kmalloc attempt and keeps the old object")
    func kvreallocAtomic61() throws {
        var m = try TestMachines.fragmentedKernel(.v6_1)
        let p = try #require(Kmalloc.kmalloc(4000, flags: GFPFlags.atomic(.v6_1), in: &m))
        m.writeBytes(Array(repeating: 9, count: 4000), at: p)
        // 6.1's kvrealloc() is kvmalloc + copy + kvfree, so it inherits kvmalloc's refusal.
        let grown = KVmalloc.kvrealloc(p, oldSize: 4000, newSize: 64 << 10, flags: GFPFlags.atomic(.v6_1), in: &m)
        #expect(try grown.get() == nil)
        #expect(Kmalloc.ksize(p, in: m) == 4096)
        #expect(m.readBytes(at: p, count: 4000) == Array(repeating: 9, count: 4000))
        try m.validateInvariants()
    }

    @Test("6.1 kvrealloc(NULL, 0, 0) is NULL: the old size covers the new one, p comes back")
    func kvreallocNullZero61() throws {
        var m = TestMachines.kernel(kernel: .v6_1)
        #expect(try KVmalloc.kvrealloc(.null, oldSize: 0, newSize: 0, flags: .kernel, in: &m).get() == nil)
        #expect(try KVmalloc.kvrealloc(.null, oldSize: 0, newSize: 16, flags: .kernel, in: &m).get().map { Kmalloc.ksize($0, in: m) } == 16)
    }

    @Test("6.18 kvrealloc falls back to the whole kvmalloc (second kmalloc try, huge vmalloc) and copies min(size, ksize)")
    func kvreallocFallback618() throws {
        var m = TestMachines.kernel(kernel: .v6_18)
        let p = try #require(Kmalloc.kmalloc(3000, flags: .kernel, in: &m))
        m.writeBytes(Array(repeating: 0x5a, count: 4096), at: p)
        m.setRecording(true)
        // Above KMALLOC_MAX_SIZE: krealloc fails, kvmalloc_node_align() tries kmalloc again, then vmalloc.
        let q = try #require(try KVmalloc.kvrealloc(p, newSize: 5 << 20, flags: .kernel, in: &m).get())
        let failedKmallocs = m.takeEvents().filter {
            if case let .allocationFailed(function, _, _, _) = $0.kind { return function == .kmalloc }
            return false
        }
        #expect(failedKmallocs.count == 2)
        let area = try #require(m.vmap.areas.first { $0.start == q })
        #expect(area.pageOrder == 9 && area.size == (6 << 20) + 4096)
        // The whole kmalloc-4k object came along, not only the 3000 bytes last asked for.
        #expect(m.readBytes(at: q, count: 4096) == Array(repeating: 0x5a, count: 4096))
        #expect(m.locateObject(p)?.inUse == false)
        try m.validateInvariants()
    }

    @Test("kvrealloc's alignment reaches vmalloc only in 6.18; 6.12's kvrealloc has none", arguments: [KernelVersion.v6_12, .v6_18])
    func kvreallocAlign(kernel: KernelVersion) throws {
        var m = try TestMachines.fragmentedKernel(kernel)
        let p = try #require(Kmalloc.kmalloc(3000, flags: .kernel, in: &m))
        m.writeBytes(Array(repeating: 3, count: 4096), at: p)
        let q = try #require(try KVmalloc.kvrealloc(p, newSize: 64 << 10, align: 16384, flags: .kernel, in: &m).get())
        let area = try #require(m.vmap.areas.first { $0.start == q })
        #expect(area.align == (kernel == .v6_18 ? 16384 : 4096))
        #expect(m.readBytes(at: q, count: 4096) == Array(repeating: 3, count: 4096))
        try m.validateInvariants()
    }

    @Test("KVec pushes from empty give capacities 1, 2, 4, 8 and each growth is a realloc event")
    func kvecGrowth() throws {
        var m = TestMachines.kernel()
        m.setRecording(true)
        var v = KVec<UInt64>()
        var capacities: [Int] = []
        for i in 0..<9 {
            try v.push(UInt64(i * 3), flags: .kernel, in: &m)
            capacities.append(v.capacity)
        }
        #expect(capacities == [1, 2, 4, 4, 8, 8, 8, 8, 16])
        let reallocs = m.takeEvents().filter { $0.kindName == "realloc" }
        #expect(reallocs.count == 5)
        #expect((0..<9).map { v.element(at: $0, in: m) } == (0..<9).map { UInt64($0 * 3) })
        // 8 bytes in kmalloc-8, then 16, 32, 64, 128: each growth moved to the next class.
        #expect(Kmalloc.ksize(v.pointer, in: m) == 128)
        try v.drop(in: &m)
        try m.validateInvariants()
    }

    @Test("A KVVec grows from kmalloc into vmalloc")
    func kvvec() throws {
        var m = TestMachines.kernel()
        var v = KVVec<UInt64>()
        for i in 0..<3000 { try v.push(UInt64(i), flags: .kernel, in: &m) }
        // 4096 elements = 32 KiB: a large kmalloc still.
        #expect(!Vmalloc.isVmallocAddress(v.pointer, in: m))
        #expect(Kmalloc.ksize(v.pointer, in: m) == 32768)
        // Beyond KMALLOC_MAX_SIZE (4 MiB) krealloc fails and kvrealloc falls back to vmalloc, copying.
        try v.reserve(600_000, flags: .kernel, in: &m)
        #expect(Vmalloc.isVmallocAddress(v.pointer, in: m))
        #expect(v.element(at: 2999, in: m) == 2999)
        #expect(v.element(at: 17, in: m) == 17)
        try v.drop(in: &m)
        try m.validateInvariants()
    }

    @Test("KBox round trip")
    func kbox() throws {
        var m = TestMachines.kernel()
        let b = try KBox<Int32>(-7, flags: .kernel, in: &m)
        #expect(b.value(in: m) == -7)
        #expect(Kmalloc.ksize(b.pointer, in: m) == 8)
        try b.drop(in: &m)
        #expect(m.allocationAPI(at: b.pointer) == nil)
    }
}
