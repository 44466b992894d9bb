import Allocators
import BuiltInWorkloads
import HeapModel
import MemtopCommand
import MemtopTestSupport
import Operations
import Testing
import Traces

@Suite("memtop's trace format")
struct NativeTraceTests {
    static func parseAll(_ text: String, kernel: KernelVersion = .v6_18) throws -> [Operation] {
        var ops: [Operation] = []
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if let op = try NativeTraceFormat.parse(line, number: i + 1, file: "t.trace", kernel: kernel) { ops.append(op) }
        }
        return ops
    }

    /// Replays `text` on `machine` and returns the replayer (for its name tables).
    static func replay(_ text: String, on machine: inout Machine) throws -> NativeTraceReplayer {
        var r = NativeTraceReplayer(file: "t.trace", kernel: machine.configuration.kernel)
        for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            try r.apply(line, number: i + 1, to: &machine)
        }
        return r
    }

    @Test("Lines parse into typed operations with sizes, flags, ids and quoted text")
    func parsing() throws {
        let ops = try Self.parseAll("""
            # memtop trace v1
            # a comment

            say "kmalloc rounds 72 up to 96"
            kmalloc id=a size=72 flags=GFP_KERNEL|__GFP_ZERO
            vmalloc id=v size=16K align=16K
            kfree id=a
            mark "after the free"
            """)
        #expect(ops == [
            .narrate(Narration(.say, text: "kmalloc rounds 72 up to 96")),
            .kmalloc(.id("a"), size: 72, flags: [.kernel, .zero], site: nil),
            .vmalloc(.id("v"), size: 16 << 10, align: 16 << 10, flags: .kernel, site: nil),
            .kfree(.id("a"), site: nil),
            .narrate(Narration(.mark, text: "after the free")),
        ])
    }

    @Test("Malformed lines say FILE:LINE: expected ..., found ...", arguments: [
        ("frobnicate id=a", "t.trace:1: expected an operation"),
        ("kmalloc id=a", "t.trace:1: expected size= for kmalloc"),
        ("kmalloc id=a size", "t.trace:1: expected key=value, found \"size\""),
        ("say \"unterminated", "t.trace:1: expected a closing \""),
        ("say", "t.trace:1: expected \"text\" after say"),
        ("kmalloc id=a size=64 flag=GFP_ATOMIC", "t.trace:1: expected one of id, ptr, size, flags, site for kmalloc, found \"flag=\""),
        ("vrealloc id=a size=64 rules=6.18", "t.trace:1: expected one of id, ptr, size, align, flags, site for vrealloc, found \"rules=\""),
        ("kmalloc id=a size=64 size=128", "t.trace:1: expected size= once for kmalloc"),
        ("kmalloc id=a ptr=0x10 size=64", "t.trace:1: expected id= or ptr= for kmalloc, found both"),
        ("kmalloc size=64", "t.trace:1: expected id=NAME or ptr=0xADDR for kmalloc"),
        ("kvrealloc id=a size=64 rules=5.4", "t.trace:1: expected rules= 6.1 or 6.12 or 6.18"),
        ("realloc allocator=Kmalloc ptr=none size=64 oldsize=8388608T", "t.trace:1: expected a size"),
        ("realloc allocator=Kmalloc ptr=none size=64 align=9223372036854775808", "t.trace:1: expected a power-of-two align="),
        ("kvec_reserve vec=v additional=1152921504606846965", "t.trace:1: expected a count for additional="),
        ("kmalloc id=a\u{FFFD} size=8", "t.trace:1: expected UTF-8 text"),
        ("alloc_pages id=p order=3 owner=nobody", "t.trace:1: expected owner=pages or outside"),
    ])
    func malformed(line: String, message: String) {
        #expect {
            try NativeTraceFormat.parse(line[...], number: 1, file: "t.trace", kernel: .v6_18)
        } throws: { error in
            (error as? TraceInputError)?.description.hasPrefix(message) == true
        }
    }

    @Test("Every operation's line parses back to the same operation")
    func roundTrip() throws {
        let ops: [Operation] = [
            .kmalloc(.pointer(0xffff_8880_0123_4000), size: 72, flags: [.kernel, .zero], site: "f+0x1/0x2"),
            .kfree(.id("a"), site: "g+0x3/0x4"),
            .krealloc(.id("a"), size: 300, flags: .kernel, site: "h+0x0/0x8"),
            .vmalloc(.id("v"), size: 1 << 20, align: 1 << 16, flags: .kernel, site: nil),
            .vfree(.id("v"), site: nil),
            .vrealloc(.id("v"), size: 8192, align: 4096, flags: .kernel, site: "k+0x0/0x8"),
            .kvmalloc(.id("kv"), size: 40_000, align: 8, flags: .kernel, site: nil),
            .kvfree(.id("kv"), site: "drop+0x0/0x8"),
            .kvrealloc(.id("kv"), size: 9000, align: 1, flags: .kernel, oldSize: 4000, rules: .v6_18, site: "grow+0x0/0x8"),
            .kmemCacheCreate(CacheSpecification(name: "demo", objectSize: 52, align: 16, flags: [.hardwareCacheAlign, .reclaimAccount],
                                                hasConstructor: true)),
            .kmemCacheAlloc(cache: "demo", .id("o"), flags: .kernel, site: "make+0x0/0x8"),
            .kmemCacheFree(cache: "demo", .id("o"), site: nil),
            .allocPages(.pointer(0x4000), order: 3, flags: [.highUserMovable, .noWarn], owner: .outside),
            .freePages(.pointer(0x4000)),
            .rustRealloc(allocator: .kvmalloc, nil, layout: Layout(size: 64, align: 8)!, oldLayout: .unit, flags: .kernel),
            .rustRealloc(allocator: .kmalloc, .pointer(0x1000), layout: .unit, oldLayout: Layout(size: 64, align: 8)!, flags: []),
            .vector(.push(count: 5), vec: "v", allocator: .kvmalloc, flags: .kernel),
            .vector(.reserve(additional: 100), vec: "v", allocator: .vmalloc, flags: .kernel),
            .vector(.shrink, vec: "v", allocator: .kmalloc, flags: .kernel),
            .vector(.drop, vec: "v", allocator: .kmalloc, flags: .kernel),
            .write(.id("a"), bytes: [0, 1, 0xab, 0xff]),
            .narrate(Narration(.ask, text: "Which cache?", answer: "kmalloc-96, because 72 > 64", show: ["slabinfo", "buddyinfo"])),
            .narrate(Narration(.pause)),
        ]
        for kernel in KernelVersion.allCases {
            for op in ops {
                let line = NativeTraceFormat.line(op, kernel: kernel)
                let back = try NativeTraceFormat.parse(line[...], number: 1, file: "t.trace", kernel: kernel)
                #expect(back == op, "\(kernel): \(line)")
            }
        }
    }

    @Test("Executing a hand-written trace: sizes, caches, pages, KVec, realloc")
    func executing() throws {
        var m = TestMachines.kernel()
        var r = try Self.replay("""
            kmalloc id=a size=72
            kmem_cache_create name=memtop_demo size=52 cache_flags=hwcache
            kmem_cache_alloc cache=memtop_demo id=o
            alloc_pages id=p order=3 flags=GFP_KERNEL
            kvec_push vec=v allocator=KVmalloc count=5
            krealloc id=a size=200
            vmalloc id=big size=2M
            """, on: &m)
        #expect(m.cache(named: "memtop_demo")?.geometry.size == 64)
        #expect(m.cache(named: "kmalloc-256")?.objectsInUse == 1)
        #expect(m.vmap.areas.count == 1)
        let before = m
        #expect(throws: TraceInputError.self) { try r.apply("kfree id=nope", number: 9, to: &m) }
        #expect(m == before)
        try m.validateInvariants()
    }

    @Test("kvrealloc's rules= picks whose kvrealloc runs, whatever the machine's kernel", arguments: [KernelVersion.v6_1, .v6_18])
    func kvreallocRules(machineKernel: KernelVersion) throws {
        for rules in KernelVersion.allCases {
            var m = try Kernel.boot(MachineConfiguration(ramBytes: 256 << 20, cpus: 2, kernel: machineKernel))
            var r = try Self.replay("kmalloc id=a size=100", on: &m)
            let before = try #require(r.runner.resolve(.id("a")))
            try r.apply("kvrealloc id=a size=120 oldsize=100 rules=\(rules.rawValue)", number: 2, to: &m)
            // 6.12+ kvrealloc is krealloc, in place within the 128-byte slot; 6.1's always moves to a
            // new kvmalloc when growing, and frees the old object.
            let moved = r.runner.resolve(.id("a")) != before
            #expect(m.cache(named: "kmalloc-128")?.objectsInUse == 1)
            #expect(moved == (rules == .v6_1), "machine \(machineKernel), rules \(rules)")
        }
    }
}

extension Machine {
    func render(_ file: ProcFile) -> String { file.render(self) }
}
