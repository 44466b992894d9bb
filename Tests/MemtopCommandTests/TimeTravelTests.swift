import BuiltInWorkloads
import Foundation
import HeapModel
@testable import MemtopCommand
import TerminalUI
import Testing

@Suite("Time travel")
struct TimeTravelTests {
    func session(_ name: String) throws -> ViewerSession {
        let request = ViewerRequest(source: .workload(try #require(Workload.named(name))),
                                    configuration: MachineConfiguration(ramBytes: 256 << 20), seed: 3)
        return try ViewerSession(request, theme: Theme(mode: .monochrome))
    }

    @Test("Stepping back then forward reproduces the state of going straight there")
    func backAndForth() throws {
        var travelled = try session("slab-churn")
        travelled.advance(9_000)
        travelled.seek(to: 4_321)
        var straight = try session("slab-churn")
        straight.advance(4_321)
        #expect(travelled.status.step == 4_321)
        #expect(travelled.machine == straight.machine)
        travelled.seek(to: 7_000)
        straight.advance(7_000 - 4_321)
        #expect(travelled.machine == straight.machine)
        // One step back with the key.
        _ = travelled.handle(.char(","))
        #expect(travelled.status.step == 6_999)
        _ = travelled.handle(.home)
        #expect(travelled.status.step == 0)
        _ = travelled.handle(.end)
        #expect(travelled.status.step == travelled.status.total)
    }

    @Test("g N Enter goes to event N; ] finds the next violation")
    func gotoAndMarks() throws {
        var s = try session("misuse")
        for key in [Key.char("g"), .char("3"), .enter] { _ = s.handle(key) }
        #expect(s.status.step == 3)
        _ = s.handle(.home)
        _ = s.handle(.char("]"))
        #expect(s.status.step == 1)    // the double free happens in the first operation
        #expect(s.marks.first == 1)
    }

    @Test("In a trace, seeking back and forth restores the trace position with the machine")
    func traceSeek() throws {
        // A seekable plain-text capture long enough for several snapshots.
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("memtop-seek-\(getpid()).txt").path
        var text = ""
        var live: [UInt64] = []
        for i in 0..<12_000 {
            if live.count < 300 && (i % 7 != 3 || live.isEmpty) {
                let ptr: UInt64 = 0xffff_8880_1000_0000 + UInt64(i) * 64
                text += "  sh-1 [000] ..... 1.0: kmalloc: call_site=t+0x1/0x2 ptr=\(String(ptr, radix: 16)) bytes_req=\(8 << (i % 9)) bytes_alloc=\(8 << (i % 9)) gfp_flags=GFP_KERNEL node=-1 accounted=false\n"
                live.append(ptr)
            } else {
                let ptr = live.remove(at: (i * 31) % live.count)
                text += "  sh-1 [000] ..... 1.0: kfree: call_site=t+0x3/0x4 ptr=\(String(ptr, radix: 16))\n"
            }
        }
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        func open() throws -> ViewerSession {
            let request = ViewerRequest(source: .trace(path), configuration: MachineConfiguration(ramBytes: 128 << 20), seed: 1)
            return try ViewerSession(request, theme: Theme(mode: .monochrome))
        }
        var travelled = try open()
        travelled.advance(12_000)
        #expect(travelled.status.step == 12_000)
        travelled.seek(to: 5_555)
        var straight = try open()
        straight.advance(5_555)
        #expect(travelled.status.step == 5_555)
        #expect(travelled.machine == straight.machine)
        // Playing on from the restored position reads the same lines as the straight run.
        travelled.seek(to: 9_001)
        straight.advance(9_001 - 5_555)
        #expect(travelled.machine == straight.machine)
        travelled.seek(to: 1)
        var one = try open()
        one.advance(1)
        #expect(travelled.machine == one.machine)

        // Seeks that read the trace on a second thread for the bulk of the way land in the same
        // state, log and marks as stepping there.
        var quick = try open()
        quick.fastForward = (minimum: 200, margin: 50)
        quick.advance(12_000)
        // 1_500 is before the first snapshot with a trace position: the trace is reread from its start.
        for goal in [5_555, 11_999, 2_345, 1_500, 8_765] {
            quick.seek(to: goal)
            var stepped = try open()
            stepped.advance(goal)
            #expect(quick.status.step == goal, "\(quick.status.finished) \(quick.log.last?.text ?? "")")
            #expect(quick.machine == stepped.machine, "goal \(goal)")
            #expect(quick.snapshot().log == stepped.snapshot().log, "goal \(goal)")
            #expect(quick.marks.filter { $0 <= goal } == stepped.marks)
            quick.advance(100)
            stepped.advance(100)
            #expect(quick.machine == stepped.machine, "goal \(goal) + 100")
        }
    }
}

@Suite("Time travel within a memory budget")
struct SnapshotBudgetTests {
    @Test("Snapshots share unchanged chunks: a 16 GiB machine keeps many, each costing what changed")
    func sharedChunks() throws {
        let request = ViewerRequest(source: .workload(try #require(Workload.named("slab-churn"))),
                                    configuration: MachineConfiguration(ramBytes: 16 << 30, cpus: 2, kernel: .v6_18), seed: 1)
        var session = try ViewerSession(request, theme: Theme(mode: .monochrome))
        session.advance(20_000)
        // Slab churn touches a few megabytes, so ten snapshots of 4 million frames (80 MB of frame
        // records each, if copied whole) hold a small fraction of one whole copy.
        #expect(session.snapshotCount >= 10)
        #expect(session.snapshotBytes > 0)
        #expect(session.snapshotBytes < session.machine.endPFN * 20 / 4, "\(session.snapshotBytes) bytes held")
    }

    @Test("Past the budget, every other snapshot goes and seeks still land where they aim")
    func thinnedWithinBudget() throws {
        var request = ViewerRequest(source: .workload(try #require(Workload.named("tour"))),
                                    configuration: MachineConfiguration(ramBytes: 1 << 30, cpus: 2, kernel: .v6_18), seed: 1)
        request.snapshotBudget = 256 << 10
        var session = try ViewerSession(request, theme: Theme(mode: .monochrome))
        var wide = request
        wide.snapshotBudget = 1 << 40
        var unbounded = try ViewerSession(wide, theme: Theme(mode: .monochrome))
        session.advance(12_000)
        unbounded.advance(12_000)
        #expect(session.snapshotBytes <= 256 << 10, "\(session.snapshotBytes) bytes held")
        #expect(session.snapshotCount >= 2)
        #expect(session.snapshotCount < unbounded.snapshotCount, "\(session.snapshotCount) vs \(unbounded.snapshotCount)")
        #expect(unbounded.snapshotBytes > 256 << 10, "the run must need thinning for this test to mean anything")
        session.seek(to: 7_777)
        unbounded.seek(to: 7_777)
        #expect(session.status.step == 7_777)
        #expect(session.machine == unbounded.machine)
    }
}

@Suite("Lost events in the viewer")
struct LostEventsViewerTests {
    @Test("A [LOST N EVENTS] line is a mark and a warning in the log")
    func lostMark() throws {
        let header = "# tracer: nop\n#\n"
        let line = "  sh-1 [000] ..... 1.0: kmalloc: call_site=a+0x1/0x2 ptr=ffff888001000000 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL node=-1 accounted=false\n"
        let path = "/tmp/memtop-lost-\(getpid()).txt"
        try (header + line + "CPU:1 [LOST 7 EVENTS]\n" + line).write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let request = ViewerRequest(source: .trace(path), configuration: MachineConfiguration(ramBytes: 256 << 20, cpus: 2, kernel: .v6_1), seed: 1)
        var s = try ViewerSession(request, theme: Theme(mode: .monochrome))
        s.advance(100)
        #expect(s.marks == [3], "the mark sits on the LOST line, as narration marks do: \(s.marks)")
        #expect(s.log.contains { $0.text.contains("the ring buffer lost 7 events here") })
    }
}
