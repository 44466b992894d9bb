// `@preconcurrency`: Swift 6 refuses a reference to C's `stdout` global otherwise; this file only
// flushes it and reads its error flag, from the main thread at the end of a run.
#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
@preconcurrency import Darwin
#endif

/// Standard output as `print` writes it (C stdio's `stdout`), checked once the run is over.
public enum StandardOutput {
    /// Flushes standard output and reports a write that failed, now or earlier (a full disk, a
    /// closed pipe with SIGPIPE ignored), so that a run whose output was lost does not exit 0.
    /// - Throws: ``RunFailure`` (`cannot write standard output: reason`).
    public static func finish() throws {
        errno = 0
        let flushed = fflush(stdout) == 0
        let reason = errno
        guard !flushed || ferror(stdout) != 0 else { return }
        clearerr(stdout)   // reported once; the exit path flushes again
        let text = !flushed && reason != 0 ? String(cString: strerror(reason)) : "a write failed and output was lost"
        throw RunFailure("cannot write standard output: \(text)")
    }
}
