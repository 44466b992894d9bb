import Allocators
import BuiltInWorkloads
import HeapModel
import MemtopCommand
import MemtopTestSupport
import Operations
import Testing
import Traces

#if canImport(Glibc)
import Glibc
#endif

@Suite("record then replay")
struct RecordReplayTests {
    @Test("Every built-in workload's recording replays to the same machine, on 6.12 and 6.18",
          arguments: Workload.all.map(\.name), [KernelVersion.v6_12, .v6_18])
    func builtIn(workload: String, kernel: KernelVersion) throws {
        let config = MachineConfiguration(ramBytes: 256 << 20, cpus: 2, kernel: kernel)
        var original = try Kernel.boot(config)
        var ops = OperationRunner()
        ops.startRecording()
        var run = try #require(Workload.named(workload)).start(7, config)
        var lines: [String] = []
        while run.step(&ops, &original) {
            lines += ops.takeRecorded().map { NativeTraceFormat.line($0, kernel: config.kernel) }
        }
        lines += ops.takeRecorded().map { NativeTraceFormat.line($0, kernel: config.kernel) }
        #expect(workload == "idle" || !lines.isEmpty)
        var replayed = try Kernel.boot(config)
        _ = try NativeTraceTests.replay(lines.joined(separator: "\n"), on: &replayed)
        for file in ProcFile.allCases { #expect(replayed.render(file) == original.render(file), "\(workload): \(file)") }
        #expect(replayed.pageClasses(in: PageFrameNumber(0)..<PageFrameNumber(replayed.endPFN)) == original.pageClasses(in: PageFrameNumber(0)..<PageFrameNumber(original.endPFN)))
        #expect(replayed.differences(from: original).isEmpty, "\(replayed.differences(from: original))")
        try replayed.validateInvariants()
    }

    @Test("memtop record writes the file workloads too, and the recording ends where the file does",
          arguments: ["krealloc-growth", "named-caches"])
    func fileWorkloads(name: String) throws {
        let path = temporaryFile("", suffix: ".trace")
        defer { unlink(path) }
        let file = try #require(Lessons.workloads().first { $0.name == name })
        #expect(Memtop.main(arguments: ["record", name, "-o", path, "--ram", "256M", "--kernel", "6.1"]) == 0)
        let recorded = try #require(Golden.readFile(path))
        #expect(recorded.hasPrefix(NativeTraceFormat.header))
        let config = MachineConfiguration(ramBytes: 256 << 20, cpus: 2, kernel: .v6_1)
        var direct = try Kernel.boot(config), replayed = try Kernel.boot(config)
        _ = try NativeTraceTests.replay(try #require(Golden.readFile(file.path)), on: &direct)
        _ = try NativeTraceTests.replay(recorded, on: &replayed)
        #expect(direct.slabinfo().contains("demo_") == (name == "named-caches"))
        for file in ProcFile.allCases { #expect(replayed.render(file) == direct.render(file), "\(name): \(file)") }
        #expect(replayed.differences(from: direct).isEmpty, "\(replayed.differences(from: direct))")
    }

    @Test("A recording keeps the call sites of frees as well as allocations")
    func recordedFreeSites() throws {
        let config = MachineConfiguration(ramBytes: 256 << 20, cpus: 2, kernel: .v6_18)
        var m = try Kernel.boot(config)
        var ops = OperationRunner()
        ops.startRecording()
        _ = try ops.apply(.kmemCacheCreate(CacheSpecification(name: "test_cache", objectSize: 40)), to: &m)
        let object = try #require(try ops.apply(.kmemCacheAlloc(cache: "test_cache", OperationRunner.fresh, flags: .kernel,
                                                                site: "make_obj+0x1/0x10"), to: &m).address)
        _ = try ops.apply(.kmemCacheFree(cache: "test_cache", Handle(object), site: "drop_obj+0x2/0x10"), to: &m)
        let big = try #require(try ops.apply(.kvmalloc(OperationRunner.fresh, size: 1 << 20, align: 1, flags: .kernel,
                                                       site: "make_table+0x3/0x10"), to: &m).address)
        _ = try ops.apply(.kvfree(Handle(big), site: "drop_table+0x4/0x10"), to: &m)
        let lines = ops.takeRecorded().map { NativeTraceFormat.line($0, kernel: .v6_18) }
        for (op, site) in [("kmem_cache_alloc", "make_obj"), ("kmem_cache_free", "drop_obj"), ("kvmalloc", "make_table"),
                           ("kvfree", "drop_table")] {
            #expect(lines.contains { $0.hasPrefix(op + " ") && $0.contains("site=\(site)+") }, "\(op) without its site: \(lines)")
        }
        #expect(lines.contains("kmem_cache_alloc cache=test_cache ptr=0x\(String(object.rawValue, radix: 16)) flags=GFP_KERNEL site=make_obj+0x1/0x10"))
        var replayed = try Kernel.boot(config)
        _ = try NativeTraceTests.replay(lines.joined(separator: "\n"), on: &replayed)
        // The freed object's slot remembers who freed it, in the replay as in the original.
        let freedBy = { (machine: Machine) in machine.locateObject(object).map { machine.name(of: $0.freeSite) } }
        #expect(freedBy(m) == "drop_obj+0x2/0x10")
        #expect(freedBy(replayed) == freedBy(m))
    }
}

@Suite("memtop's trace format: bad values")
struct NativeTraceBadValueTests {
    @Test("Sizes and alignments no allocator can serve are refused at their line or fail in the simulation, never crash", arguments: [
        ("kmem_cache_create name=x size=8M\nkmem_cache_alloc cache=x id=o", 1),
        ("vmalloc id=v size=4K align=64T", 1),
        ("kmalloc id=a size=8388608T", 1),
        ("kmem_cache_create name=y size=10 align=3", 1),
        ("alloc_pages id=p order=99", 1),
        ("free_pages ptr=0x1234", 1),
        ("kmalloc id=a size=4194304T", nil),
        ("kmalloc id=a size=4194305T", 1),
        ("kvec_push vec=v count=10\nkvec_reserve vec=v additional=1099511627776", nil),
        ("realloc allocator=Vmalloc ptr=none size=64 align=1T", nil),
    ] as [(String, Int?)])
    func badValues(text: String, failingLine: Int?) {
        var m = TestMachines.kernel()
        var r = NativeTraceReplayer(file: "t.trace", kernel: m.configuration.kernel)
        var failed: Int?
        for (i, line) in text.split(separator: "\n").enumerated() {
            do { try r.apply(line, number: i + 1, to: &m) } catch {
                #expect(error.description.hasPrefix("t.trace:\(i + 1): expected"), "\(error)")
                failed = i + 1
                break
            }
        }
        #expect(failed == failingLine)
        #expect(throws: Never.self) { try m.validateInvariants() }
    }

    @Test("A push that cannot grow the vector stops instead of failing once per element")
    func pushStops() throws {
        var m = TestMachines.kernel()
        var r = NativeTraceReplayer(file: "t.trace", kernel: m.configuration.kernel)
        m.setRecording(true)
        try r.apply("kvec_push vec=v allocator=Kmalloc count=100000000", number: 1, to: &m)
        let failures = m.takeEvents().filter { if case .allocationFailed = $0.kind { true } else { false } }
        #expect(failures.count <= 2)
        #expect(r.runner.capacity(ofVector: "v", allocator: .kmalloc) <= 1 << 19)
    }
}

@Suite("record refuses to overwrite its input")
struct RecordOverwriteTests {
    @Test("record of a file workload into that file is refused with exit 2, the file intact")
    func refusesInput() throws {
        let file = try #require(Lessons.workloads().first { $0.name == "named-caches" })
        let before = try #require(Golden.readFile(file.path))
        #expect(Memtop.main(arguments: ["record", "named-caches", "-o", file.path]) == 2)
        #expect(Golden.readFile(file.path) == before)
    }
}
