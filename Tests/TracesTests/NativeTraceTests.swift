import Allocators
import HeapModel
import MemtopCommand
import MemtopTestSupport
import Testing
import Traces
import Workloads

@Suite("memtop's trace format")
struct NativeTraceTests {
    func parseAll(_ text: String) throws -> [TraceOperation] {
        var ops: [TraceOperation] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let op = try NativeTraceParser.parse(line, number: i + 1, file: "t.trace") { ops.append(op) }
        }
        return ops
    }

    @Test("Lines parse into operations with sizes, flags, ids and quoted text")
    func parsing() throws {
        let ops = try parseAll("""
            # memtop trace v1
            # a comment

            say "kmalloc rounds 72 up to 96"
            kmalloc id=a size=72 flags=GFP_KERNEL|__GFP_ZERO
            vmalloc id=v size=16K align=16K
            kfree id=a
            mark "after the free"
            """)
        #expect(ops.map(\.op) == ["say", "kmalloc", "vmalloc", "kfree", "mark"])
        #expect(ops[0].text == "kmalloc rounds 72 up to 96")
        #expect(ops[1].value("flags") == "GFP_KERNEL|__GFP_ZERO")
        #expect(ops[2].line == "vmalloc id=v size=16K align=16K")
    }

    @Test("Malformed lines say FILE:LINE: expected ..., found ...", arguments: [
        ("frobnicate id=a", "t.trace:1: expected an operation"),
        ("kmalloc id=a", "t.trace:1: expected size= for kmalloc"),
        ("kmalloc id=a size", "t.trace:1: expected key=value, found \"size\""),
        ("say \"unterminated", "t.trace:1: expected a closing \""),
        ("say", "t.trace:1: expected \"text\" after say"),
    ])
    func malformed(line: String, message: String) {
        #expect(throws: TraceInputError.self) { try NativeTraceParser.parse(line[...], number: 1, file: "t.trace") }
        do { _ = try NativeTraceParser.parse(line[...], number: 1, file: "t.trace") } catch {
            #expect(error.description.hasPrefix(message), "\(error)")
        }
    }

    @Test("Executing a hand-written trace: sizes, caches, pages, KVec, realloc")
    func executing() throws {
        let ops = try parseAll("""
            kmalloc id=a size=72
            kmem_cache_create name=memtop_demo size=52 cache_flags=hwcache
            kmem_cache_alloc cache=memtop_demo id=o
            alloc_pages id=p order=3 flags=GFP_KERNEL
            kvec_push vec=v allocator=KVmalloc count=5
            krealloc id=a size=200
            vmalloc id=big size=2M
            """)
        var ex = NativeTraceExecutor(machine: TestMachines.kernel(), file: "t.trace")
        for (i, op) in ops.enumerated() { try ex.apply(op, line: i + 1) }
        let m = ex.machine
        #expect(m.cache(named: "memtop_demo")?.geometry.size == 64)
        #expect(m.cache(named: "kmalloc-256")?.objectsInUse == 1)
        #expect(m.vmap.areas.count == 1)
        #expect(throws: TraceInputError.self) { try ex.apply(TraceOperation(op: "kfree", arguments: [("id", "nope")]), line: 9) }
        try m.validateInvariants()
    }

    @Test("A recording replays to the same final state", arguments: ["misuse", "kvec-growth", "vmalloc-lazy-purge", "slab-churn", "kvmalloc-fallback"])
    func recordReplay(workload: String) throws {
        let config = MachineConfiguration(ramBytes: 256 << 20, cpus: 2, kernel: .v6_18)
        var original = try Kernel.boot(config)
        original.setRecordingOperations(true)
        var run = try #require(Workload.named(workload)).start(7, config)
        var ops: [RecordedOperation] = []
        while run.step(&original) { ops += original.takeOperations() }
        ops += original.takeOperations()
        #expect(!ops.isEmpty)
        var ex = NativeTraceExecutor(machine: try Kernel.boot(config), file: "recording")
        for (i, recorded) in ops.enumerated() {
            let op = try #require(try NativeTraceParser.parse(recorded.line[...], number: i + 1, file: "recording"))
            try ex.apply(op, line: i + 1)
        }
        let replayed = ex.machine
        for file in ProcFile.allCases { #expect(replayed.render(file) == original.render(file), "\(workload): \(file)") }
        #expect(replayed.pageClasses(in: 0..<replayed.endPFN) == original.pageClasses(in: 0..<original.endPFN))
        #expect(replayed.differences(from: original).isEmpty, "\(replayed.differences(from: original))")
        try replayed.validateInvariants()
    }
}

extension NativeTraceTests {
    @Test("A recording keeps the call sites of frees as well as allocations")
    func recordedFreeSites() throws {
        let config = MachineConfiguration(ramBytes: 256 << 20, cpus: 2, kernel: .v6_18)
        var m = try Kernel.boot(config)
        m.setRecordingOperations(true)
        let cache = try #require(KmemCache.create("test_cache", objectSize: 40, in: &m))
        let object = try #require(KmemCache.alloc(cache, flags: .kernel, site: m.callSite("make_obj+0x1/0x10"), in: &m))
        KmemCache.free(cache, object, site: m.callSite("drop_obj+0x2/0x10"), in: &m)
        let big = try #require(KVmalloc.kvmalloc(1 << 20, flags: .kernel, site: m.callSite("make_table+0x3/0x10"), in: &m))
        KVmalloc.kvfree(big, site: m.callSite("drop_table+0x4/0x10"), in: &m)
        let area = try #require(Vmalloc.vmalloc(3 * Page.size, site: m.callSite("make_area+0x5/0x10"), in: &m))
        Vmalloc.vfree(area, site: m.callSite("drop_area+0x6/0x10"), in: &m)
        let lines = m.takeOperations().map(\.line)
        for (op, site) in [("kmem_cache_alloc", "make_obj"), ("kmem_cache_free", "drop_obj"), ("kvmalloc", "make_table"),
                           ("kvfree", "drop_table"), ("vmalloc", "make_area"), ("vfree", "drop_area")] {
            #expect(lines.contains { $0.hasPrefix(op + " ") && $0.contains("site=\(site)+") }, "\(op) without its site: \(lines)")
        }
        var ex = NativeTraceExecutor(machine: try Kernel.boot(config), file: "recording")
        for (i, line) in lines.enumerated() {
            try ex.apply(try #require(try NativeTraceParser.parse(line[...], number: i + 1, file: "recording")), line: i + 1)
        }
        // The freed object's slot remembers who freed it, in the replay as in the original.
        let freedBy = { (machine: Machine) in machine.locateObject(object).map { machine.name(of: $0.freeSite) } }
        #expect(freedBy(m) == "drop_obj+0x2/0x10")
        #expect(freedBy(ex.machine) == freedBy(m))
    }
}

extension Machine {
    func render(_ file: ProcFile) -> String { file.render(self) }
}

@Suite("memtop's trace format: bad values")
struct NativeTraceBadValueTests {
    @Test("Sizes and alignments no allocator can serve are refused or fail, never crash", arguments: [
        "kmem_cache_create name=x size=8M\nkmem_cache_alloc cache=x id=o",
        "vmalloc id=v size=4K align=64T",
        "kmalloc id=a size=8388608T",
        "kmem_cache_create name=y size=10 align=3",
        "alloc_pages id=p order=99",
        "free_pages ptr=0x1234",
    ])
    func badValues(text: String) {
        var ex = NativeTraceExecutor(machine: TestMachines.kernel(), file: "t.trace")
        for (i, line) in text.split(separator: "\n").enumerated() {
            do {
                if let op = try NativeTraceParser.parse(line, number: i + 1, file: "t.trace") { try ex.apply(op, line: i + 1) }
            } catch {
                #expect(error.description.hasPrefix("t.trace:\(i + 1): expected"))
            }
        }
        #expect(throws: Never.self) { try ex.machine.validateInvariants() }
    }
}
