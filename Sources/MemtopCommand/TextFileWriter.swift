#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes text to standard error, unbuffered (Swift 6 forbids touching C's `stderr` global).
public func standardError(_ text: String) {
    var text = text
    text.withUTF8 { buffer in
        var offset = 0
        while offset < buffer.count {
            let n = write(2, buffer.baseAddress! + offset, buffer.count - offset)
            if n <= 0 { return }
            offset += n
        }
    }
}

/// A buffered text file written with C stdio; `-` means standard output.
///
/// Writing never throws, so that a producer can stream into it from a loop; the first failure
/// (disk full, closed pipe) is remembered, later writes are dropped, and ``close()`` reports it.
/// A writer that is never closed is closed when released, and its failure is then lost: call
/// ``close()`` on every path that succeeds.
public final class TextFileWriter {
    /// The stream, until ``close()``.
    private var file: UnsafeMutablePointer<FILE>?
    /// The `errno` of the first failed write, flush or close; 0 while none has failed.
    private var failure: Int32 = 0
    /// The path as given.
    public let path: String

    /// Opens (truncates) `path` for writing.
    /// - Parameter path: The file to write, or `-` for standard output.
    /// - Throws: ``RunFailure`` naming the file and the system's reason.
    public init(path: String) throws {
        self.path = path
        if path == "-" {
            guard let f = fdopen(dup(1), "w") else { throw RunFailure("cannot write to standard output") }
            file = f
        } else {
            guard let f = fopen(path, "w") else {
                throw RunFailure("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            file = f
        }
    }

    deinit {
        if let file { fclose(file) }
    }

    /// Appends `text`; after a failure (or ``close()``), does nothing.
    /// - Parameter text: The text, written as UTF-8.
    public func write(_ text: String) {
        guard let file, failure == 0 else { return }
        var text = text
        let written = text.withUTF8 { buffer in fwrite(buffer.baseAddress, 1, buffer.count, file) == buffer.count }
        if !written { failure = errno != 0 ? errno : EIO }
    }

    /// Flushes and closes the file; closing again does nothing more (and reports the same failure).
    /// - Throws: ``RunFailure`` (`cannot write PATH: reason`) when any write, the flush or the
    ///   close failed (disk full, closed pipe).
    public func close() throws {
        if let file {
            self.file = nil
            errno = 0
            let flushed = fflush(file) == 0
            if !flushed && failure == 0 { failure = errno != 0 ? errno : EIO }
            if ferror(file) != 0 && failure == 0 { failure = EIO }
            errno = 0
            if fclose(file) != 0 && failure == 0 { failure = errno != 0 ? errno : EIO }
        }
        if failure != 0 {
            let name = path == "-" ? "standard output" : path
            throw RunFailure("cannot write \(name): \(String(cString: strerror(failure)))")
        }
    }
}
