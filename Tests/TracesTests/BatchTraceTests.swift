import Allocators
import HeapModel
import MemtopTestSupport
import Operations
import Testing
import Traces

/// `id=o1..o64` and `keep=K/N`: one line over a range of ids, as lessons write bulk work.
@Suite("Ranges of ids in memtop's trace format")
struct BatchTraceTests {
    @Test("A closed range makes and frees each id; the line writes back as it was read")
    func closedRange() throws {
        var m = TestMachines.kernel(ram: 256 << 20, kernel: .v6_18)
        let r = try NativeTraceTests.replay("""
            # memtop trace v1
            kmalloc id=o1..o16 size=4K site=f+0x1/0x2
            kfree id=o3..o10 site=g+0x1/0x2
            """, on: &m)
        let cache = try #require(m.cache(named: "kmalloc-4k"))
        #expect(cache.objectsInUse == 8)
        #expect(r.runner.resolve(.id("o2")) != nil && r.runner.resolve(.id("o3")) == nil && r.runner.resolve(.id("o16")) != nil)
        for line in ["kmalloc id=o1..o16 size=4096 flags=GFP_KERNEL site=f+0x1/0x2", "free_pages id=p1.. keep=1/8",
                     "alloc_pages id=p1.. order=0 flags=GFP_HIGHUSER_MOVABLE owner=outside"] {
            let op = try #require(try NativeTraceFormat.parse(Substring(line), number: 1, file: "t", kernel: .v6_18))
            #expect(NativeTraceFormat.line(op, kernel: .v6_18) == line)
        }
    }

    @Test("An open range allocates until the allocator refuses; keep=1/8 leaves one page of every aligned eight")
    func openRangeAndKeep() throws {
        var m = TestMachines.kernel(ram: 256 << 20, kernel: .v6_18)
        var r = try NativeTraceTests.replay("""
            # memtop trace v1
            alloc_pages id=p1.. order=0 flags=GFP_HIGHUSER_MOVABLE|__GFP_NOWARN owner=outside
            free_pages id=p1.. keep=1/8
            """, on: &m)
        for zone in m.populatedZones {
            // Each group of 8 frees 3 blocks (orders 0, 1, 2); only the watermark reserve, never
            // allocated, is still in larger blocks.
            #expect(zone.nrFree[0...2].reduce(0, +) > 10 * zone.nrFree[3...].reduce(0, +), "\(zone.kind): \(zone.nrFree)")
        }
        // What stays is exactly the pages at a multiple of 8.
        let kept = (0..<m.endPFN).filter { m.owner(of: PageFrameNumber($0)) == .outside }
        #expect(kept.count > 1000)
        #expect(kept.allSatisfy { $0 % 8 == 0 })
        // Freeing the open range again frees only what is left.
        var again = m
        try r.apply("free_pages id=p1..", number: 4, to: &again)
        #expect((0..<again.endPFN).allSatisfy { again.owner(of: PageFrameNumber($0)) != .outside })
        #expect(again.populatedZones.map(\.freePages).reduce(0, +) > m.populatedZones.map(\.freePages).reduce(0, +))
    }

    @Test("Ranges are refused where they make no sense, with the line and what was expected", arguments: [
        ("krealloc id=a1..a4 size=64", "expected a single id for krealloc"),
        ("kfree id=a1..b4", "same prefix, ascending"),
        ("kfree id=a4..a1", "same prefix, ascending"),
        ("kfree id=a..a4", "expected a range of ids"),
        ("free_pages id=p1 keep=1/8", "expected keep= only with a range"),
        ("free_pages id=p1.. keep=9/8", "expected keep=K/N"),
    ])
    func refused(line: String, message: String) throws {
        #expect {
            _ = try NativeTraceFormat.parse(Substring(line), number: 7, file: "t.trace", kernel: .v6_18)
        } throws: { error in
            "\(error)".contains("t.trace:7") && "\(error)".contains(message)
        }
    }

    @Test("A range stops at its first failed allocation, frees pass over ids never made, and a line runs at most 2^20 operations")
    func bounded() throws {
        var m = TestMachines.kernel(ram: 256 << 20, kernel: .v6_18)
        _ = m.takeEvents()
        m.setRecording(true)
        #expect(throws: (any Error).self) { try NativeTraceFormat.parse("kfree id=a1..a2000000", number: 1, file: "t", kernel: .v6_18) }
        // A million blocks of 4 MiB cannot all be had on a 256 MiB machine: it stops at the first refusal.
        var r = try NativeTraceTests.replay("""
            # memtop trace v1
            alloc_pages id=b1..b1000000 order=10 flags=GFP_KERNEL|__GFP_NOWARN
            """, on: &m)
        let failures = m.takeEvents().filter { if case .pageAllocationFailed = $0.kind { true } else { false } }
        #expect(failures.count == 1)
        try r.apply("free_pages id=b1..b1000000", number: 3, to: &m)
        #expect(m.populatedZones.allSatisfy { $0.nrFree[10] > 0 })
        // An open range runs at most 2^20 operations.
        var big = TestMachines.kernel(ram: 4 << 30, kernel: .v6_18)
        var r2 = NativeTraceReplayer(file: "t", kernel: .v6_18)
        try r2.apply("kmalloc id=o1.. size=8 flags=GFP_KERNEL|__GFP_NOWARN", number: 1, to: &big)
        #expect(r2.runner.resolve(.id("o\(Batch.openLimit)")) != nil && r2.runner.resolve(.id("o\(Batch.openLimit + 1)")) == nil)
    }
}
