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
public final class TextFileWriter {
    private let file: UnsafeMutablePointer<FILE>
    private let ownsFile: Bool
    /// The path as given.
    public let path: String

    /// Opens (truncates) `path` for writing.
    /// - Throws: ``RunFailure`` naming the file and the system's reason.
    public init(path: String) throws {
        self.path = path
        if path == "-" {
            guard let f = fdopen(dup(1), "w") else { throw RunFailure("cannot write to standard output") }
            file = f
            ownsFile = true
        } else {
            guard let f = fopen(path, "w") else {
                throw RunFailure("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            file = f
            ownsFile = true
        }
    }

    /// Appends `text`.
    public func write(_ text: String) {
        var text = text
        text.withUTF8 { buffer in _ = fwrite(buffer.baseAddress, 1, buffer.count, file) }
    }

    /// Flushes and closes the file.
    /// - Throws: ``RunFailure`` when the data could not be written (disk full, closed pipe).
    public func close() throws {
        let flushed = fflush(file) == 0
        let closed = ownsFile ? fclose(file) == 0 : true
        if !flushed || !closed { throw RunFailure("writing \(path) failed: \(String(cString: strerror(errno)))") }
    }
}
