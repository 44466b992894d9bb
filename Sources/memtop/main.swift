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
    // Restore the terminal on Ctrl-C and SIGTERM: installed before initscr so ncurses keeps them.
    signal(SIGINT) { _ in endwinForSignal(); _exit(130) }
    signal(SIGTERM) { _ in endwinForSignal(); _exit(143) }
    guard var backend = NcursesBackend() else {
        standardError("memtop: cannot initialise the terminal (TERM=\(String(cString: getenv("TERM") ?? strdup("unset"))))\n")
        return 1
    }
    var session: ViewerSession
    do {
        var lastDrawn = -1
        session = try ViewerSession(request, theme: Theme(mode: backend.colorMode)) { fraction in
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
    defer { backend.restore() }
    session.runLoop(backend: &backend, clock: monotonicNanoseconds)
    return 0
}

switch Memtop.start(arguments: Array(CommandLine.arguments.dropFirst())) {
case .exit(let code): exit(code)
case .viewer(let request): exit(openViewer(request))
}
