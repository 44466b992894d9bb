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

/// Opens the viewer: checks for a terminal, takes it over, runs the loop, and gives it back on
/// every path (normal quit, errors, and SIGINT/SIGTERM through the handlers below).
func openViewer(_ request: ViewerRequest) -> Int32 {
    guard isatty(0) == 1 && isatty(1) == 1 else {
        standardError("memtop: no terminal here; use --headless to print instead of drawing (memtop run --headless --dump slabinfo)\n")
        return 1
    }
    // Restore the terminal on Ctrl-C, SIGTERM, SIGQUIT and SIGHUP (installed before the terminal is
    // initialised, so ncurses keeps them), and on a crash: give the terminal back, then let the
    // signal do what it would have done.
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
        standardError("memtop: cannot initialise the terminal (TERM=\(String(cString: getenv("TERM") ?? strdup("unset"))))\n")
        return 1
    }
    var session: ViewerSession
    defer { backend.restore() }
    do {
        var lastDrawn = -1
        session = try ViewerSession(request, theme: Theme(mode: backend.colorMode, projector: request.projector)) { fraction in
            // The import's progress bar: redrawn at each whole percent.
            let percent = Int(fraction * 100)
            guard percent != lastDrawn else { return }
            lastDrawn = percent
            backend.draw(ProgressScreen.render(title: "memtop — reading \(request.name)", fraction: fraction,
                                               width: backend.size.width, height: backend.size.height))
        }
    } catch {
        backend.restore()
        standardError("memtop: \(error)\n")
        return 1
    }
    // MEMTOP_FRAME_STATS=FILE: write frame timings (render + ncurses flush) on exit, for the benchmarks.
    let statsPath = getenv("MEMTOP_FRAME_STATS").map { String(cString: $0) }
    if statsPath != nil { session.frameTimes = [] }
    session.runLoop(backend: &backend, clock: monotonicNanoseconds)
    backend.restore()
    if let statsPath, let times = session.frameTimes, let f = fopen(statsPath, "w") {
        let sorted = times.sorted()
        func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1e6 }
        fputs("frames \(sorted.count) p50 \(percentile(0.5)) ms p90 \(percentile(0.9)) ms p99 \(percentile(0.99)) ms max \(percentile(1)) ms\n", f)
        fclose(f)
    }
    return 0
}

/// Opens the side-by-side comparison of two runs.
func openCompare(_ a: ViewerRequest, _ b: ViewerRequest) -> Int32 {
    guard isatty(0) == 1 && isatty(1) == 1 else {
        standardError("memtop: no terminal here; use memtop compare --headless to print the diff instead\n")
        return 1
    }
    signal(SIGINT) { _ in endwinForSignal(); _exit(130) }
    signal(SIGTERM) { _ in endwinForSignal(); _exit(143) }
    guard var backend = NcursesBackend() else {
        standardError("memtop: cannot initialise the terminal\n")
        return 1
    }
    defer { backend.restore() }
    do {
        let theme = Theme(mode: backend.colorMode)
        var compare = CompareSession(left: try ViewerSession(a, theme: theme), right: try ViewerSession(b, theme: theme))
        compare.runLoop(backend: &backend, clock: monotonicNanoseconds)
    } catch {
        backend.restore()
        standardError("memtop: \(error)\n")
        return 1
    }
    return 0
}

switch Memtop.start(arguments: Array(CommandLine.arguments.dropFirst())) {
case .exit(let code): exit(code)
case .viewer(let request): exit(openViewer(request))
case .compare(let a, let b): exit(openCompare(a, b))
}
