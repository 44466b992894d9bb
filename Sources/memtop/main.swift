import MemtopCommand
import TerminalUI

#if canImport(Glibc)
import Glibc
#endif

/// Monotonic nanoseconds for the viewer's pacing.
func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

/// The one path that owns the terminal, for every viewer: checks that there is one, restores it on
/// Ctrl-C, SIGTERM, SIGQUIT, SIGHUP and on a crash (handlers installed before ncurses starts, so it
/// keeps them; a crash restores first, then dies of its signal without Swift's backtracer drawing
/// over the screen), takes it over for `body`, and gives it back on every return.
/// - Returns: `body`'s exit status; 1 without a terminal or when `body` throws (its message printed
///   after the terminal is restored).
func withTerminal(noTerminalHint: String, _ body: (inout NcursesBackend) throws -> Int32) -> Int32 {
    guard isatty(0) == 1 && isatty(1) == 1 else {
        standardError("memtop: no terminal here; \(noTerminalHint)\n")
        return 1
    }
    signal(SIGINT) { _ in endwinForSignal(); _exit(130) }
    signal(SIGTERM) { _ in endwinForSignal(); _exit(143) }
    signal(SIGQUIT) { _ in endwinForSignal(); _exit(131) }
    signal(SIGHUP) { _ in endwinForSignal(); _exit(129) }
    for crash in [SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE] {
        signal(crash) { sig in
            endwinForSignal()
            signal(sig, SIG_DFL)
            raise(sig)
        }
    }
    guard var backend = NcursesBackend() else {
        standardError("memtop: cannot initialise the terminal (TERM=\(getenv("TERM").map { String(cString: $0) } ?? "unset"))\n")
        return 1
    }
    do {
        let status = try body(&backend)
        backend.restore()
        return status
    } catch {
        backend.restore()
        standardError("memtop: \((error as? RunFailure)?.message ?? "\(error)")\n")
        return (error as? RunFailure)?.exitCode ?? 1
    }
}

/// Opens the viewer on `request` and runs it until the user quits.
func openViewer(_ request: ViewerRequest) -> Int32 {
    withTerminal(noTerminalHint: "use --headless to print instead of drawing (memtop run --headless --dump slabinfo)") { backend in
        var lastDrawn = -1
        var session = try ViewerSession(request, theme: Theme(mode: backend.colorMode, projector: request.projector)) { fraction in
            // The import's progress bar: redrawn at each whole percent.
            let percent = Int(fraction * 100)
            guard percent != lastDrawn else { return }
            lastDrawn = percent
            backend.draw(ProgressScreen.render(title: "memtop — reading \(request.name)", fraction: fraction,
                                               width: backend.size.width, height: backend.size.height))
        }
        // MEMTOP_FRAME_STATS=FILE: write frame timings (render + ncurses flush) on exit, for the benchmarks.
        let statsPath = getenv("MEMTOP_FRAME_STATS").map { String(cString: $0) }
        if statsPath != nil { session.frameTimes = [] }
        session.runLoop(backend: &backend, clock: monotonicNanoseconds)
        backend.restore()
        if let statsPath, let times = session.frameTimes { writeFrameStats(times, to: statsPath) }
        // A trace that stopped at an error: the run ends with its message and a failure status.
        if let error = session.traceError {
            standardError("memtop: \(error)\n")
            return 1
        }
        return 0
    }
}

/// Writes frame-time percentiles for the viewer benchmark.
func writeFrameStats(_ times: [UInt64], to path: String) {
    guard let f = fopen(path, "w") else { return }
    let sorted = times.sorted()
    func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1e6 }
    fputs("frames \(sorted.count) p50 \(percentile(0.5)) ms p90 \(percentile(0.9)) ms p99 \(percentile(0.99)) ms max \(percentile(1)) ms\n", f)
    fclose(f)
}

/// Opens the side-by-side comparison of two runs.
func openCompare(_ a: ViewerRequest, _ b: ViewerRequest) -> Int32 {
    withTerminal(noTerminalHint: "use memtop compare --headless to print the diff instead") { backend in
        let theme = Theme(mode: backend.colorMode)
        var compare = CompareSession(left: try ViewerSession(a, theme: theme), right: try ViewerSession(b, theme: theme))
        compare.runLoop(backend: &backend, clock: monotonicNanoseconds)
        return 0
    }
}

switch Memtop.start(arguments: Array(CommandLine.arguments.dropFirst())) {
case .exit(let code): exit(code)
case .viewer(let request): exit(openViewer(request))
case .compare(let a, let b): exit(openCompare(a, b))
}
