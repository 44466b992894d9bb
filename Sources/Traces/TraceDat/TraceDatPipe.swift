#if canImport(Glibc)
import Glibc
#endif
import Synchronization

/// A ``TraceDatReader`` printing its text into a pipe on a thread of its own, so that
/// ``LineSource`` reads a trace.dat as it reads any ftrace text (and everything above it, the
/// pipelined replay and the viewer, works unchanged).
///
/// The pipe's read end belongs to the caller. Stopping early never closes it under the producer:
/// ``stop()`` asks the producer to stop and drains the pipe until the producer closes its end, so
/// no write can meet a closed pipe (and no SIGPIPE is raised).
///
/// # Invariants
/// `failure` is written only by the producer thread before it exits, and read only after
/// `pthread_join`, which orders the two; the other stored properties do not change after `init`.
/// That is why the class can be `@unchecked Sendable`.
final class TraceDatPipe: @unchecked Sendable {
    /// The end the text is read from.
    let readDescriptor: Int32
    private let writeDescriptor: Int32
    private let reader: TraceDatReader
    private let cancelled = Atomic<Bool>(false)
    private let joined = Atomic<Bool>(false)
    private var thread = pthread_t()
    private var failure: TraceInputError?

    /// Opens the trace.dat at `path` (named `name` in messages) and starts printing it. A
    /// `temporary` file is unlinked once open: the mapping keeps its data until the reader ends.
    /// - Throws: ``TraceInputError`` when the file is not a readable trace.dat, or no pipe or thread can be made.
    init(path: String, name: String, temporary: Bool) throws(TraceInputError) {
        defer { if temporary { unlink(path) } }
        reader = try TraceDatReader(path: path, name: name)
        var fds: [Int32] = [-1, -1]
        // Close-on-exec, so that a decompressor started by another source does not hold the write end open.
        guard pipe(&fds) == 0, fcntl(fds[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(fds[1], F_SETFD, FD_CLOEXEC) == 0 else {
            for fd in fds where fd >= 0 { close(fd) }
            throw TraceInputError(file: name, line: nil, message: "cannot make a pipe for the trace.dat's text: \(String(cString: strerror(errno)))")
        }
        (readDescriptor, writeDescriptor) = (fds[0], fds[1])
        // Fewer, larger reads for LineSource (the default pipe holds 64 KiB); best effort.
        // F_SETPIPE_SZ (Linux's F_LINUX_SPECIFIC_BASE + 7) is not exported without _GNU_SOURCE.
        _ = fcntl(writeDescriptor, 1031, 1 << 20)
        let me = Unmanaged.passRetained(self).toOpaque()
        let started = pthread_create(&thread, nil, { argument in
            guard let argument else { return nil }
            Unmanaged<TraceDatPipe>.fromOpaque(argument).takeRetainedValue().produce()
            return nil
        }, me)
        guard started == 0 else {
            Unmanaged<TraceDatPipe>.fromOpaque(me).release()
            close(readDescriptor)
            close(writeDescriptor)
            joined.store(true, ordering: .relaxed)
            throw TraceInputError(file: name, line: nil, message: "cannot start the trace.dat reader thread (error \(started))")
        }
    }

    /// Whether the first bytes of the open file `descriptor` are the trace.dat magic (read with
    /// `pread`, so the file position does not move).
    static func hasMagic(_ descriptor: Int32) -> Bool {
        var prefix = [UInt8](repeating: 0, count: TraceDatReader.magicLength)
        let n = prefix.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, 0) }
        return n == prefix.count && prefix.withUnsafeBytes { TraceDatReader.hasMagic($0) }
    }

    /// The producer thread's work: the whole text into the pipe, then the pipe's end closed.
    private func produce() {
        do throws(TraceInputError) {
            try reader.text { block throws(TraceInputError) in
                if cancelled.load(ordering: .relaxed) { return false }
                return try write(block)
            }
        } catch {
            failure = error
        }
        close(writeDescriptor)
    }

    private func write(_ block: UnsafeRawBufferPointer) throws(TraceInputError) -> Bool {
        guard var p = block.baseAddress else { return true }
        var left = block.count
        while left > 0 {
            let n = Glibc.write(writeDescriptor, p, left)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                throw TraceInputError(file: reader.name, line: nil, message: "cannot write the trace.dat's text to its pipe: \(String(cString: strerror(errno)))")
            }
            p += n
            left -= n
        }
        return !cancelled.load(ordering: .relaxed)
    }

    /// At the end of the text: waits for the producer and returns why it failed, if it did.
    func finish() -> TraceInputError? {
        join()
        return failure
    }

    /// Stops the producer early (or after the end): drains the pipe until the producer has closed
    /// its end, then waits for it. The read end stays open for its owner to close.
    func stop() {
        cancelled.store(true, ordering: .relaxed)
        guard !joined.load(ordering: .relaxed) else { return }
        var scratch = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = scratch.withUnsafeMutableBytes { read(readDescriptor, $0.baseAddress, $0.count) }
            if n > 0 || (n < 0 && errno == EINTR) { continue }
            break
        }
        join()
    }

    private func join() {
        guard !joined.load(ordering: .relaxed) else { return }
        pthread_join(thread, nil)
        joined.store(true, ordering: .relaxed)
    }
}
