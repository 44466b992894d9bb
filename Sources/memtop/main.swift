import CNcurses
import MemtopCommand
import TerminalUI

#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` on the terminal: ncurses takes it over, and `endwin` gives it back once, on every
/// return, error and signal (``TerminalSession``).
func onTerminal(hint: String, _ body: (inout CursesBackend) throws -> Int32) -> Int32 {
    TerminalSession.run(isTerminal: TerminalSession.standardStreamsAreTerminal, noTerminalHint: hint,
                        signals: { _ = endwin() }, open: NcursesBackend.open, body)
}

switch Memtop.start(arguments: Array(CommandLine.arguments.dropFirst())) {
case .exit(let code):
    exit(code)
case .viewer(let request):
    // MEMTOP_FRAME_STATS=FILE: write frame timings (render + ncurses flush) on exit, for the benchmarks.
    let stats = getenv("MEMTOP_FRAME_STATS").map { String(cString: $0) }
    exit(onTerminal(hint: ViewerLaunch.viewerHint) {
        try ViewerLaunch.view(request, on: &$0, clock: ViewerLaunch.monotonicNanoseconds, frameStats: stats)
    })
case .compare(let a, let b):
    exit(onTerminal(hint: ViewerLaunch.compareHint) { try ViewerLaunch.compare(a, b, on: &$0, clock: ViewerLaunch.monotonicNanoseconds) })
}
