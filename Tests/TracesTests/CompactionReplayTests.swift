import HeapModel
import MemtopTestSupport
import Testing
import Traces

#if canImport(Glibc)
import Glibc
#endif

/// Compaction's migration targets come off the free lists without an event; a placed replay
/// takes a stand-in for each migration kcompactd's frees show.
@Suite("Compaction in placed replays")
struct CompactionReplayTests {
    static func pageLine(_ task: String, _ time: String, _ event: String, pfn: Int, movable: Bool = true) -> String {
        let alloc = event == "mm_page_alloc" ? " migratetype=\(movable ? 1 : 0) gfp_flags=GFP_HIGHUSER_MOVABLE" : ""
        return "\(task) [000] .....     \(time): \(event): page=fff3716c40788000 pfn=0x\(String(pfn, radix: 16)) order=0\(alloc)\n"
    }

    /// Replays `lines` placed, on a fresh 1 GiB 6.1 machine.
    func replay(_ lines: [String]) throws -> (before: Machine, after: Machine, FtraceReplayer) {
        let path = temporaryFile(header + lines.joined())
        defer { unlink(path) }
        let before = TestMachines.kernel(ram: 1 << 30, cpus: 2, kernel: .v6_1)
        var machine = before
        var replayer = FtraceReplayer(file: path, kernel: .v6_1, check: false, placement: true)
        try feed(&replayer, &machine, path: path, strict: true)
        return (before, machine, replayer)
    }

    /// Free pages, on the buddy lists and the per-CPU lists.
    func available(_ m: Machine) -> Int {
        m.populatedZones.map { $0.freePages + m.perCPUPageCount(zone: $0.kind) }.reduce(0, +)
    }

    @Test("kcompactd freeing a page in use migrated it: a stand-in target is taken high in the zone, in a Movable pageblock")
    func migration() throws {
        let lines = [Self.pageLine("            bash-100    ", "1.000000", "mm_page_alloc", pfn: 0x20000),
                     Self.pageLine("      kcompactd0-35     ", "2.000000", "mm_page_free", pfn: 0x20000)]
        let (before, after, replayer) = try replay(lines)
        #expect(replayer.summary.placement.compactionTargets == 1)
        #expect(available(after) == available(before) - 1, "the migrated page's data lives on in its target")
        let dma32 = try #require(after.populatedZones.first { $0.kind == .dma32 })
        let target = try #require((dma32.startPFN.rawValue..<dma32.endPFN.rawValue).reversed().first {
            after.owner(of: PageFrameNumber($0)) == .outside && after.placement(of: PageFrameNumber($0)) == .simulated
        })
        #expect(target > 0x30000, "the free scanner starts at the zone's end: \(String(target, radix: 16))")
        #expect(after.pageblockMigrateType(of: PageFrameNumber(target)) == .movable)
        try after.validateInvariants()
    }

    @Test("Another task's free of a page memtop holds free (the kernel's real target) frees the stand-in; kcompactd releasing an unused isolated page changes nothing")
    func targetFreed() throws {
        let migrated = [Self.pageLine("            bash-100    ", "1.000000", "mm_page_alloc", pfn: 0x20000),
                        Self.pageLine("      kcompactd0-35     ", "2.000000", "mm_page_free", pfn: 0x20000)]
        let released = migrated + [Self.pageLine("      kcompactd0-35     ", "2.100000", "mm_page_free", pfn: 0x31000)]
        let (before, afterRelease, r1) = try replay(released)
        #expect(available(afterRelease) == available(before) - 1)
        #expect(r1.summary.placement.freesOfFreePages == 0)
        let exited = released + [Self.pageLine("            bash-100    ", "3.000000", "mm_page_free", pfn: 0x32345)]
        let (_, after, r2) = try replay(exited)
        #expect(available(after) == available(before), "every page is free again")
        #expect(r2.summary.placement.freesOfFreePages == 0)
        try after.validateInvariants()
    }

    @Test("The same frees from any other task are plain frees: no stand-in")
    func otherTasks() throws {
        let lines = [Self.pageLine("            bash-100    ", "1.000000", "mm_page_alloc", pfn: 0x20000),
                     Self.pageLine("            bash-100    ", "2.000000", "mm_page_free", pfn: 0x20000)]
        let (before, after, replayer) = try replay(lines)
        #expect(replayer.summary.placement.compactionTargets == 0)
        #expect(available(after) == available(before))
    }
}

/// What the kernel did and memtop could not is a mismatch of the check, not only a summary count.
@Suite("Events memtop could not apply")
struct SimulationFailureTests {
    @Test("A page free in the first megabyte (never managed) counts as a check mismatch, with its line")
    func freeOfUnmanagedFrames() throws {
        let path = temporaryFile(header + CompactionReplayTests.pageLine("            bash-100    ", "1.000000", "mm_page_free", pfn: 0x10))
        defer { unlink(path) }
        var machine = TestMachines.kernel(ram: 1 << 30, cpus: 2, kernel: .v6_1)
        var replayer = FtraceReplayer(file: path, kernel: .v6_1, check: true, placement: true)
        try feed(&replayer, &machine, path: path, strict: true)
        let check = try #require(replayer.check)
        #expect(replayer.summary.simulationFailures == 1)
        #expect(check.mismatchCounts[CheckReport.simulationFailure] == 1)
        #expect(check.mismatches.first?.line == 5 && check.mismatches.first?.detail.contains("pfn 16") == true, "\(check.mismatches)")
        try machine.validateInvariants()
    }
}

/// Random page traffic through the new placement paths (kcompactd's migrations and releases,
/// frees of reserved and of free frames, order-9 blocks inside huge vmallocs) keeps the machine
/// consistent.
@Suite("Placed page traffic keeps the machine consistent")
struct PlacedPageTrafficTests {
    @Test("Seeded random page allocations and frees from bash and kcompactd, on 6.1 and 6.12", arguments: [UInt64(1), 2, 3])
    func randomTraffic(seed: UInt64) throws {
        var random = SplitMix64(seed: seed)
        var lines: [String] = []
        var live: [(pfn: Int, order: Int)] = []
        for step in 0..<3000 {
            let micros = String(step % 1000)
            let time = "\(1 + step / 1000)." + String(repeating: "0", count: 6 - micros.count) + micros
            let task = Int.random(in: 0..<4, using: &random) == 0 ? "      kcompactd0-35     " : "            bash-100    "
            let roll = Int.random(in: 0..<10, using: &random)
            if roll < 5 {
                let order = [0, 0, 0, 1, 2, 3, 9][Int.random(in: 0..<7, using: &random)]
                let pfn = Int.random(in: 0x1000..<0x3f000, using: &random) & ~((1 << order) - 1)
                let type = Int.random(in: 0..<3, using: &random)
                lines.append("\(task) [00\(step % 2)] .....     \(time): mm_page_alloc: page=fff3716c40788000 pfn=0x\(String(pfn, radix: 16)) order=\(order) migratetype=\(type) gfp_flags=GFP_KERNEL\n")
                live.append((pfn, order))
            } else if roll < 8, !live.isEmpty {
                let k = Int.random(in: 0..<live.count, using: &random)
                let block = live.remove(at: k)
                lines.append("\(task) [00\(step % 2)] .....     \(time): mm_page_free: page=fff3716c40788000 pfn=0x\(String(block.pfn, radix: 16)) order=\(block.order)\n")
            } else {
                // A free of frames the trace never allocated: free, reserved, or memtop's own.
                let pfn = Int.random(in: 0x100..<0x40000, using: &random)
                lines.append("\(task) [00\(step % 2)] .....     \(time): mm_page_free: page=fff3716c40788000 pfn=0x\(String(pfn, radix: 16)) order=0\n")
            }
        }
        for kernel in [KernelVersion.v6_1, .v6_12] {
            let path = temporaryFile(header + lines.joined())
            defer { unlink(path) }
            var machine = TestMachines.kernel(ram: 1 << 30, cpus: 2, kernel: kernel)
            var replayer = FtraceReplayer(file: path, kernel: kernel, check: true, placement: true)
            try feed(&replayer, &machine, path: path, strict: true)
            try machine.validateInvariants()
            #expect(replayer.summary.placement.compactionTargets > 0, "kcompactd's frees of pages in use took targets")
        }
    }
}
