import HeapModel
import MemtopCommand
import MemtopTestSupport
import TerminalUI
import Testing
import BuiltInWorkloads

/// The run loop's pacing, on a fake clock and a scripted backend: operations in proportion to the
/// elapsed time at the session's speed, at most a second of backlog, 8 ms of simulation a frame,
/// and a blocking wait for keys while paused.
@Suite("Run loop pacing")
struct RunLoopTests {
    /// A session that records what the loop asks of it.
    struct Recorder: PlayableSession {
        var isRunning = true
        var playSpeed = 1000
        var plays: [(steps: Int, deadline: UInt64)] = []
        var renders = 0
        mutating func render(width: Int, height: Int) -> CellBuffer { renders += 1; return CellBuffer(width: width, height: height) }
        mutating func handle(_ key: Key) -> Bool {
            if key == .char(" ") { isRunning.toggle() }
            return key != .char("q")
        }
        mutating func play(_ steps: Int, clock: () -> UInt64, deadline: UInt64) { plays.append((steps, deadline)) }
    }

    /// A backend that answers `readKey` from a script (nil = a timeout), and records the timeouts asked for.
    struct Scripted: TerminalBackend {
        var size = (width: 80, height: 24)
        var script: [Key?]
        var timeouts: [Int] = []
        mutating func draw(_ buffer: CellBuffer) {}
        mutating func readKey(timeoutMilliseconds: Int) -> Key? {
            timeouts.append(timeoutMilliseconds)
            return script.isEmpty ? .char("q") : script.removeFirst()
        }
        mutating func restore() {}
    }

    @Test("Steps follow the clock at the speed, never more than a second's worth, each with an 8 ms deadline")
    func pacing() {
        var session = Recorder()
        var backend = Scripted(script: [nil, nil, nil, nil])
        var now: UInt64 = 0
        // Each clock read moves time on 10 ms: one read per loop turn after the key wait, one per frame drawn.
        session.runLoop(backend: &backend) { now += 10_000_000; return now }
        let steps = session.plays.map(\.steps)
        #expect(!steps.isEmpty)
        #expect(steps.allSatisfy { $0 > 0 && $0 <= 1000 }, "\(steps)")
        // Each play may spend 8 ms: its deadline is the loop's clock reading of that turn plus 8 ms.
        #expect(session.plays.allSatisfy { $0.deadline % 10_000_000 == 8_000_000 }, "\(session.plays.map(\.deadline))")
        // At 1000 operations a second, 10-30 ms of clock per turn is 10-30 operations.
        #expect(steps.allSatisfy { (10...30).contains($0) }, "\(steps)")
        #expect(backend.timeouts.first == 16, "playing polls for keys every 16 ms")
    }

    @Test("A long stall gives at most one second of operations, not the whole backlog")
    func backlog() {
        var session = Recorder()
        var backend = Scripted(script: [nil, nil])
        var now: UInt64 = 0
        var reads = 0
        session.runLoop(backend: &backend) {
            reads += 1
            now += reads == 3 ? 60_000_000_000 : 1_000_000   // one read a minute later
            return now
        }
        #expect(session.plays.contains { $0.steps == 1000 }, "\(session.plays.map(\.steps))")
        #expect(session.plays.allSatisfy { $0.steps <= 1000 })
    }

    @Test("Paused, the loop waits for a key without a timeout and plays nothing")
    func paused() {
        var session = Recorder()
        session.isRunning = false
        var backend = Scripted(script: [.char("x"), .char("x")])
        session.runLoop(backend: &backend) { 0 }
        #expect(session.plays.isEmpty)
        #expect(backend.timeouts.allSatisfy { $0 == -1 })
        #expect(session.renders >= 2, "a key redraws")
    }

    @Test("A real session spends its budget and no more: it reads the clock every 256 operations and stops at the deadline")
    func deadline() throws {
        let w = try #require(Workload.named("slab-churn"))
        var session = try ViewerSession(ViewerRequest(source: .workload(w), configuration: MachineConfiguration(ramBytes: 256 << 20), seed: 1),
                                        theme: Theme(mode: .monochrome))
        var reads = 0
        // The clock passes the deadline at its second reading: after 512 operations.
        session.play(100_000, clock: { reads += 1; return reads >= 2 ? 9_000_000 : 0 }, deadline: 8_000_000)
        #expect(session.status.step == 512 && reads == 2)
        session.play(300, clock: { 0 }, deadline: 8_000_000)
        #expect(session.status.step == 812, "a clock short of the deadline lets every step asked for run")
    }

    @Test("Ops at the speed asked: ten 10 ms turns at 1000 a second play about 100 operations on a real session")
    func speed() throws {
        let w = try #require(Workload.named("slab-churn"))
        var session = try ViewerSession(ViewerRequest(source: .workload(w), configuration: MachineConfiguration(ramBytes: 256 << 20), seed: 1),
                                        theme: Theme(mode: .monochrome))
        session.state.speedIndex = 3   // 1000 operations a second
        let recorder = CursesRecorder(width: 160, height: 50)
        recorder.wait(10)
        var backend = recorder.backend()
        var now: UInt64 = 0
        var turns = 0
        // Time moves 10 ms at each wait for a key (a turn) and stands still otherwise.
        session.runLoop(backend: &backend) {
            let waits = recorder.calls.filter { if case .read = $0 { true } else { false } }.count
            if waits != turns { turns = waits; now += 10_000_000 }
            return now
        }
        #expect((90...110).contains(session.status.step), "\(session.status.step) operations in \(turns) turns")
        #expect(recorder.ends == 0)
    }
}
