import MemtopCommand
import HeapModel
import MemtopTestSupport
import TerminalUI
import Testing
import BuiltInWorkloads

#if canImport(Glibc)
import Glibc
#endif

/// Every viewer gives the terminal back exactly once, on every way out: a quit, an error before or
/// after the first frame, and (in child processes) every signal. The viewers run on the ncurses
/// seam with ``CursesRecorder`` in place of ncurses, through the path the executable takes.
@Suite("The terminal restored on every exit")
struct TerminalRestoreTests {
    /// The outcome of one viewer run on a recorder.
    struct Run {
        let status: Int32
        let recorder: CursesRecorder
        /// The calls after the first `endwin`, other than reports.
        var afterEnd: [CursesRecorder.Call] {
            recorder.calls.drop { $0 != .end }.dropFirst().filter { if case .report = $0 { false } else { true } }
        }
        /// The messages reported, and whether each came after the restore.
        var reports: [(text: String, afterEnd: Bool)] {
            var ended = false
            return recorder.calls.compactMap { call in
                if call == .end { ended = true }
                if case .report(let text) = call { return (text, ended) }
                return nil
            }
        }
    }

    /// Runs memtop's `arguments` as the executable would on a terminal, with `recorder` as ncurses.
    static func run(_ arguments: [String], _ recorder: CursesRecorder = CursesRecorder()) throws -> Run {
        var now: UInt64 = 0
        let clock = { () -> UInt64 in now += 10_000_000; return now }
        let status: Int32
        switch Memtop.start(arguments: arguments) {
        case .viewer(let request):
            status = TerminalSession.run(isTerminal: true, noTerminalHint: ViewerLaunch.viewerHint, signals: nil,
                                         open: { recorder.backend() }, report: recorder.report) {
                try ViewerLaunch.view(request, on: &$0, clock: clock)
            }
        case .compare(let a, let b):
            recorder.size = (200, 50)
            status = TerminalSession.run(isTerminal: true, noTerminalHint: ViewerLaunch.compareHint, signals: nil,
                                         open: { recorder.backend() }, report: recorder.report) {
                try ViewerLaunch.compare(a, b, on: &$0, clock: clock)
            }
        case .exit(let code):
            Issue.record("\(arguments) did not open a viewer (exit \(code))")
            status = code
        }
        return Run(status: status, recorder: recorder)
    }

    /// A memtop trace of `lines` in a temporary file.
    static func trace(_ lines: [String]) throws -> String {
        let path = "/tmp/memtop-restore-\(getpid())-\(Int.random(in: 0..<1_000_000)).trace"
        let f = try #require(fopen(path, "w"))
        fputs((["# memtop trace v1"] + lines).joined(separator: "\n") + "\n", f)
        fclose(f)
        return path
    }

    @Test("Quitting with q or F10, or Ctrl-C as a key: exit 0, one endwin, nothing drawn after it", arguments: [
        ["run", "idle", "--ram", "256M"], ["demo", "buddy"], ["compare", "idle", "idle --cpus 4", "--ram", "256M"],
    ])
    func quit(arguments: [String]) throws {
        for quitKey in ["q", "\u{3}"] {
            let recorder = CursesRecorder()
            recorder.wait(3)
            recorder.type("?x")
            recorder.whenDone = (0, quitKey.unicodeScalars.first!.value)
            let run = try Self.run(arguments, recorder)
            #expect(run.status == 0)
            #expect(run.recorder.ends == 1, "\(arguments) \(quitKey.debugDescription)")
            #expect(run.afterEnd.isEmpty, "\(run.afterEnd.prefix(3))")
            #expect(run.recorder.calls.contains(.refresh), "it drew before leaving")
        }
        let recorder = CursesRecorder()
        recorder.press(keyCode: CursesRecorder.codes.f0 + 10)
        #expect(try Self.run(arguments, recorder).recorder.ends == 1)
    }

    @Test("A replayed trace: quit gives exit 0; a trace that stops at an error exits 1 with its FILE:LINE message after the restore")
    func replay() throws {
        let good = try Self.trace(["kmalloc id=a size=64", "kfree id=a"])
        let bad = try Self.trace(["kmalloc id=a size=64", "frobnicate id=a"])
        defer { unlink(good); unlink(bad) }
        let fine = try Self.run(["replay", good])
        #expect(fine.status == 0 && fine.recorder.ends == 1 && fine.reports.isEmpty)
        let recorder = CursesRecorder()
        recorder.wait(20)   // plays to the error, then q
        let failed = try Self.run(["replay", bad], recorder)
        #expect(failed.status == 1)
        #expect(failed.recorder.ends == 1 && failed.afterEnd.isEmpty)
        #expect(failed.reports.count == 1 && failed.reports[0].afterEnd, "\(failed.reports)")
        #expect(failed.reports.first?.text.hasPrefix("memtop: \(bad):3: expected an operation") == true, "\(failed.reports)")
    }

    @Test("A viewer that cannot start (a missing trace, a compare side that cannot be read) restores once, then says why, exit 1")
    func cannotStart() throws {
        let replay = try Self.run(["replay", "/nonexistent/t.trace"])
        // compare checks its sides before it opens a terminal; a side that fails anyway fails the same way.
        let recorder = CursesRecorder(width: 200, height: 50)
        let idle = ViewerRequest(source: .workload(try #require(Workload.named("idle"))), configuration: MachineConfiguration(), seed: 1)
        let missing = ViewerRequest(source: .trace("/nonexistent/t.trace"), configuration: MachineConfiguration(), seed: 1)
        let status = TerminalSession.run(isTerminal: true, noTerminalHint: "", signals: nil, open: { recorder.backend() },
                                         report: recorder.report) { try ViewerLaunch.compare(idle, missing, on: &$0, clock: { 0 }) }
        for run in [replay, Run(status: status, recorder: recorder)] {
            #expect(run.status == 1)
            #expect(run.recorder.ends == 1 && run.afterEnd.isEmpty)
            #expect(run.reports.count == 1 && run.reports.allSatisfy { $0.afterEnd && $0.text.hasPrefix("memtop: ") }, "\(run.reports)")
        }
    }

    @Test("Without a terminal the backend is never opened, so nothing is restored; a backend that cannot open is not restored either")
    func noTerminal() {
        let recorder = CursesRecorder()
        var opened = 0
        let none = TerminalSession.run(isTerminal: false, noTerminalHint: "use --headless", signals: nil,
                                       open: { opened += 1; return recorder.backend() }, report: recorder.report) { _ in 0 }
        #expect(none == 1 && opened == 0 && recorder.ends == 0)
        #expect(recorder.calls == [.report("memtop: no terminal here; use --headless\n")])
        let failed = TerminalSession.run(isTerminal: true, noTerminalHint: "", signals: nil,
                                         open: { CursesBackend?.none }, report: recorder.report) { _ in 0 }
        #expect(failed == 1 && recorder.ends == 0)
    }
}

/// The signal path, in child processes: a signal while the terminal is taken restores it once
/// (the handlers' restore, not a second one on the way out) and exits as a shell expects.
@Suite("The terminal restored on signals")
struct SignalRestoreTests {
    /// A backend whose restore prints `restore`, as the normal path's endwin.
    struct Printing: TerminalBackend {
        var size: (width: Int, height: Int) { (80, 24) }
        mutating func draw(_ buffer: CellBuffer) {}
        mutating func readKey(timeoutMilliseconds: Int) -> Key? { nil }
        mutating func restore() { _ = write(1, "restore\n", 8) }
    }

    /// Takes a fake terminal with the handlers installed (their restore prints `endwin`), raises
    /// `signal` inside the viewer, and, if still alive, after it returned.
    static func raising(_ signal: Int32, afterReturn: Bool = false) -> Never {
        // The exit test's body may run on a thread that blocks signals; memtop's main thread does not.
        var all = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_UNBLOCK, &all, nil)
        let status = TerminalSession.run(isTerminal: true, noTerminalHint: "", signals: { _ = write(1, "endwin\n", 7) },
                                         open: { Printing() }) { _ in
            if !afterReturn { raise(signal) }
            return 0
        }
        if afterReturn { raise(signal) }
        exit(status + 50)
    }

    @Test("SIGINT, SIGTERM, SIGHUP and SIGQUIT: restored once, exit 128 + the signal", arguments: SignalRestore.exiting)
    func exiting(signal: Int32) async {
        let result = await #expect(processExitsWith: .exitCode(128 + signal), observing: [\.standardOutputContent]) { [signal] in
            SignalRestoreTests.raising(signal)
        }
        #expect(result.map { String(decoding: $0.standardOutputContent, as: UTF8.self) } == "endwin\n")
    }

    @Test("A crash restores once, then dies of its own signal")
    func crash() async {
        let result = await #expect(processExitsWith: .signal(SIGABRT), observing: [\.standardOutputContent]) {
            SignalRestoreTests.raising(SIGABRT)
        }
        #expect(result.map { String(decoding: $0.standardOutputContent, as: UTF8.self) } == "endwin\n")
    }

    @Test("A signal after the normal restore does not restore again")
    func afterReturn() async {
        let result = await #expect(processExitsWith: .exitCode(143), observing: [\.standardOutputContent]) {
            SignalRestoreTests.raising(SIGTERM, afterReturn: true)
        }
        #expect(result.map { String(decoding: $0.standardOutputContent, as: UTF8.self) } == "restore\n")
    }
}
