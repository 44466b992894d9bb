import Allocators
import HeapModel
@testable import MemtopCommand
import MemtopTestSupport
import Operations
import Testing
import Traces

/// Each lesson shows the state its title promises: checked on the machine the lesson leaves, on
/// the events it makes, and on its own handout.
@Suite("Lessons show what they teach")
struct LessonContentTests {
    /// A lesson played headless: the events of every line (with the line), the machine, the handout.
    struct Played {
        var events: [(line: Int, event: HeapEvent)] = []
        var machine: Machine
        var handout: String
    }

    static func play(_ name: String, kernel: KernelVersion = .v6_18, until: Int = .max) throws -> Played {
        let lesson = try #require(Lessons.named(name))
        var configuration = MachineConfiguration()
        configuration.kernel = kernel
        var m = try Kernel.boot(configuration)
        m.setRecording(true)
        var native = NativeTraceReplayer(file: lesson.path, kernel: kernel)
        var played = Played(machine: m, handout: try Memtop.Demo.handout(lesson, machine: configuration))
        let source = try LineSource(path: lesson.path)
        while source.lineNumber < until, let line = try source.nextLine() {
            try native.apply(line, number: source.lineNumber, to: &m)
            played.events += m.takeEvents().map { (source.lineNumber, $0) }
        }
        played.machine = m
        return played
    }

    @Test("Fragmentation ends with half of memory free in single pages, no order-3 block in DMA32, the index at its ceiling")
    func fragmentation() throws {
        let p = try Self.play("fragmentation")
        let zone = try #require(p.machine.populatedZones.first { $0.kind == .dma32 })
        #expect(zone.freePages * 100 >= zone.managedPages * 45, "at least 45 % of DMA32 free: \(zone.freePages) of \(zone.managedPages)")
        #expect(zone.nrFree[3...].allSatisfy { $0 == 0 }, "no block of order 3 or more: \(zone.nrFree)")
        #expect(zone.nrFree[0] * 10 >= zone.freePages * 8, "at least 80 % of free pages are single pages: \(zone.nrFree)")
        #expect(Fragmentation.unusableIndex(nrFree: zone.nrFree, order: 3) == 1000)
        // The kernel's index at order 3 is 1 - (1 + F/8)/B for F free pages in B blocks: it is
        // largest, 7/8 - 1/F, when every free block is a single page, and can never reach 0.9.
        let index = Fragmentation.extfragIndex(nrFree: zone.nrFree, order: 3)
        #expect(index >= 860 && index < 875, "order-3 index near its ceiling of 0.875: \(index)")
        #expect(Fragmentation.extfragIndex(nrFree: zone.nrFree, order: 5) >= 950)
        #expect(p.events.contains { if case .pageAllocationFailed(3, _, true) = $0.event.kind { true } else { false } },
                "the order-3 request fails and warns")
        #expect(p.handout.contains("Q: unusable_index is 1.000 at order 3"))
        #expect(p.handout.contains("zone    DMA32 0.000 0.142 0.428 1.000"))
        #expect(p.handout.contains("Q: Half of memory is free, nearly all of it in single pages, and extfrag_index at order 3 is 0.87."))
        #expect(p.handout.contains(String(format: "zone    DMA32 -1.000 -1.000 -1.000  0.%03d", index)), "the handout shows the index the test computed")
    }

    @Test("kvmalloc shows the failed kmalloc (ptr=0, quiet flags) before the vmalloc fallback, huge-mapped, per kernel",
          arguments: KernelVersion.allCases)
    func kvmalloc(kernel: KernelVersion) throws {
        let p = try Self.play("kvmalloc", kernel: kernel)
        let failed = try #require(p.events.firstIndex {
            if case let .objectAllocated(ptr, req, _, gfp, _, _) = $0.event.kind { ptr == .null && req == 8 << 20 && gfp.contains(.noWarn) } else { false }
        }, "a traced kmalloc with ptr=0 for the 8M request")
        let fallback = try #require(p.events.firstIndex {
            if case let .areaAllocated(_, _, _, requested, _, _) = $0.event.kind { requested == 8 << 20 } else { false }
        })
        #expect(failed < fallback)
        let quiet = p.events[failed...fallback].contains {
            if case .allocationFailed(_, _, _, true) = $0.event.kind { true } else { false }
        }
        #expect(!quiet, "no warning: __GFP_NOWARN")
        if case let .objectAllocated(_, _, _, gfp, _, _) = p.events[failed].event.kind {
            #expect(gfp.contains(.noRetry) == !kernel.kvmallocDropsDirectReclaim)
        }
        let hugeBlocks = p.events[failed...fallback].filter {
            if case .pagesAllocated(_, 9, _, _, _) = $0.event.kind { true } else { false }
        }
        #expect(hugeBlocks.count == 4, "8M as four 2M blocks")
        #expect(p.handout.contains("kmalloc with ptr=0"))
    }

    @Test("Slab-life returns an empty slab to the buddy allocator, and the handout shows fewer slabs")
    func slabLife() throws {
        let p = try Self.play("slab-life")
        let cache = try #require(p.machine.cache(named: "kmalloc-4k"))
        let returned = p.events.filter { if case .slabDestroyed(cache.id, _, 3) = $0.event.kind { true } else { false } }
        #expect(!returned.isEmpty)
        #expect(cache.slabCount < 7 && cache.objectsInUse == 0)
        // The handout's last slabinfo row has fewer slabs than the one before the frees.
        let rows = p.handout.split(separator: "\n").filter { $0.hasPrefix("kmalloc-4k ") }
        // num_slabs is the second-to-last field.
        let slabs = rows.compactMap { $0.split(separator: " ").dropLast().last.flatMap { Int($0) } }
        #expect(slabs.count >= 3 && slabs.max() == 7 && slabs.last! < 7, "\(rows)")
    }

    @Test("Size-classes explains why slabinfo counts 42 active objects when one is allocated")
    func sizeClasses() throws {
        let p = try Self.play("size-classes", until: 5)
        let cache = try #require(p.machine.cache(named: "kmalloc-96"))
        #expect(cache.objectsInUse == 1 && cache.activeObjects == 42 && cache.totalObjects == 42)
        let handout = try Self.play("size-classes").handout
        #expect(handout.contains("Q: One 72-byte object is allocated, yet slabinfo says 42 active objects of 42. Why?"))
        #expect(handout.contains("SLUB counts every object of a slab that a CPU holds as active"))
    }

    @Test("The contract lesson frees what it allocated; every lesson's allocations name the lesson's own functions",
          arguments: ["size-classes", "slab-life", "kvmalloc", "vmalloc", "contract"])
    func freesAndSites(name: String) throws {
        let p = try Self.play(name)
        #expect(p.machine.slabCaches.allSatisfy { $0.objectsInUse == 0 }, "\(name) leaves objects allocated")
        #expect(p.machine.vmap.areas.allSatisfy { $0.isLazilyFreed }, "\(name) leaves vmalloc areas")
        let lessonLines = Set(p.events.map(\.line))
        for (line, e) in p.events where lessonLines.contains(line) {
            switch e.kind {
            case .objectAllocated(_, _, _, _, _, let site), .cacheObjectAllocated(_, _, _, let site):
                let n = p.machine.name(of: site)
                #expect(n != "memtop_workload+0x0/0x0" , "\(name):\(line) allocates with no call site")
            case .areaAllocated(_, _, _, _, _, let site):
                #expect(p.machine.name(of: site) != "memtop_workload+0x0/0x0", "\(name):\(line)")
            default: break
            }
        }
    }
}
