import TerminalUI

#if canImport(Glibc)
import Glibc
#endif

/// The one path that owns the terminal, for every viewer (run, replay, demo, compare): checks that
/// there is one, installs the signal restore (``SignalRestore``) before the terminal is taken,
/// takes it for the body, and gives it back exactly once on every return, error or signal (house
/// style §1.10, the shape of swift-system's `closeAfter`).
public enum TerminalSession {
    /// Runs `body` on the backend `open` takes the terminal over with, then restores it once.
    ///
    /// - Parameters:
    ///   - isTerminal: Whether standard input and output are a terminal (`isatty`).
    ///   - noTerminalHint: What to do instead, said when there is none.
    ///   - signals: The handlers' restore (`endwin`), or nil to install none (tests in one process).
    ///   - open: Takes the terminal over; nil when it cannot.
    ///   - report: Where messages go (standard error), always after the terminal is given back.
    ///   - body: The viewer; its error's message is reported after the restore.
    /// - Returns: `body`'s exit status; 1 without a terminal or when `open` fails; the
    ///   ``RunFailure``'s exit code (else 1) when `body` throws.
    public static func run<B: TerminalBackend>(isTerminal: Bool, noTerminalHint: String, signals: SignalRestore.Restore?,
                                               open: () -> B?, report: (String) -> Void = standardError,
                                               _ body: (inout B) throws -> Int32) -> Int32 {
        guard isTerminal else {
            report("memtop: no terminal here; \(noTerminalHint)\n")
            return 1
        }
        if let signals { SignalRestore.install(restore: signals) }
        guard var backend = open() else {
            report("memtop: cannot initialise the terminal (TERM=\(getenv("TERM").map { String(cString: $0) } ?? "unset"))\n")
            return 1
        }
        if signals != nil { SignalRestore.arm() }
        let outcome = Result { try body(&backend) }
        // A signal that came first has restored already (and exited); otherwise the restore is ours.
        if signals == nil || SignalRestore.disarm() { backend.restore() }
        switch outcome {
        case .success(let status):
            return status
        case .failure(let error):
            report("memtop: \((error as? RunFailure)?.message ?? "\(error)")\n")
            return (error as? RunFailure)?.exitCode ?? 1
        }
    }

    /// Whether standard input and output are both a terminal.
    public static var standardStreamsAreTerminal: Bool { isatty(0) == 1 && isatty(1) == 1 }
}
