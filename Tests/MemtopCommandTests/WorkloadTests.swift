import Allocators
import BuiltInWorkloads
import HeapModel
import MemtopCommand
import MemtopTestSupport
import Operations
import TerminalUI
import Testing

@Suite("Built-in workloads")
struct WorkloadTests {
    func play(_ name: String, seed: UInt64 = 1, kernel: KernelVersion = .defaultVersion) throws -> (Machine, [HeapEvent]) {
        var m = TestMachines.kernel(ram: 256 << 20, kernel: kernel)
        m.setRecording(true)
        var run = try #require(Workload.named(name)).start(seed, m.configuration)
        var events: [HeapEvent] = []
        var steps = 0
        var ops = OperationRunner()
        while run.step(&ops, &m) {
            steps += 1
            if steps % 4096 == 0 { events += m.takeEvents().filter { !isNoise($0) } }
            #expect(steps < 2_000_000, "\(name) does not end")
            if steps >= 2_000_000 { break }
        }
        events += m.takeEvents().filter { !isNoise($0) }
        try m.validateInvariants()
        return (m, events)
    }

    func isNoise(_ e: HeapEvent) -> Bool {
        switch e.kind {
        case .blockSplit, .buddiesMerged, .pagesAllocated, .pagesFreed: return true
        default: return false
        }
    }

    @Test("Every workload ends and leaves a consistent machine, on 6.12 and 6.18",
          arguments: Workload.all.map(\.name), [KernelVersion.v6_12, .v6_18])
    func ends(name: String, kernel: KernelVersion) throws {
        _ = try play(name, kernel: kernel)
    }

    @Test("The same seed gives the same run")
    func deterministic() throws {
        let (a, _) = try play("slab-churn", seed: 4)
        let (b, _) = try play("slab-churn", seed: 4)
        #expect(a == b)
        let (c, _) = try play("slab-churn", seed: 5)
        #expect(a != c)
    }

    @Test("misuse reports each kind of violation and goes on")
    func misuse() throws {
        let (_, events) = try play("misuse")
        let kinds = events.compactMap { e -> ContractViolation.Kind? in
            if case .contractViolated(let v) = e.kind { return v.kind }
            return nil
        }
        #expect(Set(kinds) == Set(ContractViolation.Kind.allCases))
    }

    @Test("kvmalloc-fallback ends up in vmalloc; vmalloc-lazy-purge purges; atomic-burst goes below min")
    func phenomena() throws {
        let (kv, kvEvents) = try play("kvmalloc-fallback")
        #expect(kv.vmap.areas.contains { !$0.isLazilyFreed })
        #expect(kvEvents.contains { if case .areaAllocated = $0.kind { true } else { false } })
        let (_, purgeEvents) = try play("vmalloc-lazy-purge")
        #expect(purgeEvents.contains { if case .vmapPurged = $0.kind { true } else { false } })
        let (atomic, _) = try play("atomic-burst")
        #expect(atomic.populatedZones.contains { $0.freePages < $0.watermarks.min })
    }
}

@Suite("Lessons")
struct LessonTests {
    @Test("Every lesson plays headless as a handout")
    func handouts() throws {
        let lessons = Lessons.all()
        #expect(lessons.count >= 7)
        for lesson in lessons {
            let text = try Memtop.Demo.handout(lesson, machine: MachineConfiguration())
            #expect(text.hasPrefix("# " + lesson.title), "\(lesson.name)")
            #expect(text.contains("Q: ") && text.contains("A: "), "\(lesson.name) asks nothing")
        }
    }

    @Test("In the viewer a lesson stops at its pauses when played, but End, Home and g go through them")
    func seeksPassPauses() throws {
        let lesson = try #require(Lessons.named("buddy"))
        let request = ViewerRequest(source: .trace(lesson.path), configuration: MachineConfiguration(), seed: 1)
        var s = try ViewerSession(request, theme: Theme(mode: .monochrome))
        let total = try #require(s.status.total)
        s.advance(total)
        let firstStop = s.status.step
        #expect(firstStop < total, "playing stops at the first pause or question")
        _ = s.handle(.end)
        #expect(s.status.step == total)
        // The questions passed on the way have their answers in the log, as if a key had been pressed.
        let text = s.log.map(\.text)
        #expect(text.filter { $0.hasPrefix("? ") }.count == text.filter { $0.hasPrefix("= ") }.count)
        #expect(text.contains { $0.hasPrefix("= ") })
        // In order: the frees the last question asks about come before it, not after.
        let question = try #require(text.lastIndex { $0.hasPrefix("? ") })
        let lastFree = try #require(text.lastIndex { $0.hasPrefix("mm_page_free") })
        #expect(lastFree < question)
        _ = s.handle(.home)
        #expect(s.status.step == 0)
        let keys = [Key.char("g")] + String(total - 1).map { Key.char($0) } + [.enter]
        for key in keys { _ = s.handle(key) }
        #expect(s.status.step == total - 1)
    }

    @Test("The contract lesson shows the KASAN reports of its misuse")
    func contract() throws {
        let lesson = try #require(Lessons.named("contract"))
        let text = try Memtop.Demo.handout(lesson, machine: MachineConfiguration())
        #expect(text.contains("BUG: KASAN: double-free in kfree"))
        #expect(text.contains("memtop: Allocator contract violated in kfree: the pointer comes from another allocator"))
        #expect(!text.contains("KASAN: wrong-allocator") && !text.contains("KASAN: layout-mismatch") && !text.contains("KASAN: alignment-growth"),
                "KASAN's words only for KASAN's bug types")
    }
}

@Suite("Hand-written workloads")
struct HandWrittenWorkloadTests {
    @Test("Every trace in assets/workloads replays without an error, and named caches get SLUB's slot sizes")
    func replays() throws {
        let files = Lessons.workloads()
        #expect(files.count >= 2)
        for f in files { #expect(Memtop.main(arguments: ["run", f.name, "--headless", "--dump", "slabinfo"]) == 0, "\(f.name)") }
        #expect(Memtop.main(arguments: ["workloads"]) == 0)
    }
}
