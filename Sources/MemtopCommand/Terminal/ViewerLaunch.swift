import TerminalUI

#if canImport(Glibc)
import Glibc
#endif

/// The viewers as they run on a terminal: the session, its import progress and its run loop, on a
/// ``CursesBackend`` the caller took the terminal over with (``TerminalSession``). The executable
/// passes the real ncurses one; tests pass one over a recorder.
public enum ViewerLaunch {
    /// What to do without a terminal, for `run`, `replay` and `demo`.
    public static let viewerHint = "use --headless to print instead of drawing (memtop run --headless --dump slabinfo)"
    /// What to do without a terminal, for `compare`.
    public static let compareHint = "use memtop compare --headless to print the diff instead"

    /// Plays `request` on `backend` until the user quits: the import's progress bar while a trace is
    /// counted, then the run loop.
    /// - Parameters:
    ///   - clock: Monotonic nanoseconds, for the pacing.
    ///   - frameStats: Where to write frame-time percentiles on the way out (`MEMTOP_FRAME_STATS`).
    /// - Returns: 0.
    /// - Throws: ``RunFailure`` when the session cannot start, or when the trace stopped at an error
    ///   (its message, exit code 1), for the caller to report once the terminal is back.
    public static func view(_ request: ViewerRequest, on backend: inout CursesBackend, clock: () -> UInt64,
                            frameStats: String? = nil) throws -> Int32 {
        var lastDrawn = -1
        let theme = Theme(mode: backend.colorMode, projector: request.projector)
        var session = try ViewerSession(request, theme: theme) { fraction in
            // The import's progress bar: redrawn at each whole percent.
            let percent = Int(fraction * 100)
            guard percent != lastDrawn else { return }
            lastDrawn = percent
            backend.draw(ProgressScreen.render(title: "memtop — reading \(request.name)", fraction: fraction,
                                               width: backend.size.width, height: backend.size.height))
        }
        if frameStats != nil { session.frameTimes = [] }
        session.runLoop(backend: &backend, clock: clock)
        if let frameStats, let times = session.frameTimes { writeFrameStats(times, to: frameStats) }
        // A trace that stopped at an error: the run ends with its message and a failure status.
        if let error = session.traceError { throw RunFailure(error) }
        return 0
    }

    /// Plays `a` and `b` side by side on `backend` until the user quits.
    /// - Returns: 0.
    /// - Throws: ``RunFailure`` when either session cannot start.
    public static func compare(_ a: ViewerRequest, _ b: ViewerRequest, on backend: inout CursesBackend,
                               clock: () -> UInt64) throws -> Int32 {
        let theme = Theme(mode: backend.colorMode)
        var compare = CompareSession(left: try ViewerSession(a, theme: theme), right: try ViewerSession(b, theme: theme))
        compare.runLoop(backend: &backend, clock: clock)
        return 0
    }

    /// Writes frame-time percentiles for the viewer benchmark.
    static func writeFrameStats(_ times: [UInt64], to path: String) {
        guard let f = fopen(path, "w") else { return }
        let sorted = times.sorted()
        func percentile(_ p: Double) -> Double { sorted.isEmpty ? 0 : Double(sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))]) / 1e6 }
        fputs("frames \(sorted.count) p50 \(percentile(0.5)) ms p90 \(percentile(0.9)) ms p99 \(percentile(0.99)) ms max \(percentile(1)) ms\n", f)
        fclose(f)
    }

    /// Monotonic nanoseconds, the viewer's clock.
    public static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
