import CMapGuard
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Gives the terminal back when a signal ends memtop: Ctrl-C, SIGTERM, SIGQUIT and SIGHUP restore
/// and exit with 128 + the signal's number (130, 143, 131, 129), as a shell reports a death by
/// that signal; a crash (SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE) restores, then dies of
/// its signal, without Swift's backtracer drawing over the screen.
///
/// The handlers are installed before ncurses starts, so it keeps them instead of its own. The
/// restore runs at most once per terminal session, whichever path gets there first: a handler or
/// ``TerminalSession``'s normal return both take the one ``armed`` flag.
public enum SignalRestore {
    /// What a handler calls to give the terminal back (`endwin`). A C function pointer, since a
    /// signal handler can carry no context.
    public typealias Restore = @convention(c) () -> Void

    /// The signals that restore and exit with 128 + their number.
    public static let exiting: [Int32] = [SIGINT, SIGTERM, SIGQUIT, SIGHUP]
    /// The crashes that restore and then die of their signal.
    public static let crashing: [Int32] = [SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE]

    /// The handlers' restore.
    // SAFETY: written only by `install`, before any handler that reads it is installed and while
    // the terminal is not armed; read only by the handlers (the one process-wide hook a C signal
    // handler can reach).
    nonisolated(unsafe) private static var restore: Restore?
    /// Set while a terminal is taken and not yet given back (lock-free, so a handler may take it).
    private static let armed = Atomic<Bool>(false)

    /// Installs the handlers, which call `restore` while the terminal is armed.
    public static func install(restore: Restore) {
        armed.store(false, ordering: .sequentiallyConsistent)
        Self.restore = restore
        for sig in exiting {
            signal(sig) { sig in
                SignalRestore.giveBack()
                _exit(128 + sig)
            }
        }
        for sig in crashing {
            signal(sig) { sig in
                SignalRestore.giveBack()
                signal(sig, SIG_DFL)
                raise(sig)
            }
        }
        // A mapped trace truncated under memtop is read as zeros, not a crash: that SIGBUS handler
        // goes first and hands every other SIGBUS on to the restore above.
        memtop_map_guard_install()
    }

    /// Marks the terminal taken: from now on a signal restores it.
    public static func arm() { armed.store(true, ordering: .sequentiallyConsistent) }

    /// Takes the terminal's restore for the caller: true once per ``arm()``, for whoever asks first
    /// (a handler, or the normal return that then restores itself).
    public static func disarm() -> Bool { armed.exchange(false, ordering: .sequentiallyConsistent) }

    /// A handler's restore: only when the terminal is still taken.
    private static func giveBack() {
        if disarm() { restore?() }
    }
}
