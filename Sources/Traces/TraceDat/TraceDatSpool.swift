#if canImport(Glibc)
import Glibc
#endif

/// A compressed trace.dat (`.dat.xz`, `.dat.gz`) decompressed into a temporary file, because a
/// trace.dat is read out of order. The file is unlinked as soon as the reader has mapped it (or by
/// ``discard()``), so nothing is left behind.
struct TraceDatSpool {
    /// The temporary file (in `$TMPDIR`, else `/tmp`).
    let path: String

    /// Writes `prefix` (the bytes already read) and then everything `rest` gives until its end.
    /// - Throws: ``TraceInputError`` naming `name` when the temporary file cannot be made or written.
    init(name: String, prefix: UnsafeRawBufferPointer, rest: Int32) throws(TraceInputError) {
        let directory = getenv("TMPDIR").map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
        var template = Array((directory + "/memtop-tracedat-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw TraceInputError(file: name, line: nil, message: "cannot make a temporary file in \(directory) to decompress the trace.dat into: "
                + String(cString: strerror(errno)))
        }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        defer { close(fd) }
        let blockSize = 1 << 20
        let block = UnsafeMutableRawPointer.allocate(byteCount: blockSize, alignment: 16)
        defer { block.deallocate() }
        var pending = prefix
        while true {
            guard TraceDatSpool.writeAll(fd, pending) else {
                let reason = String(cString: strerror(errno))
                discard()
                throw TraceInputError(file: name, line: nil, message: "cannot write the decompressed trace.dat to \(path): \(reason)")
            }
            var n: Int
            repeat { n = read(rest, block, blockSize) } while n < 0 && errno == EINTR
            // A read error ends the copy like the end of the data: the decompressor's status says why.
            if n <= 0 { break }
            pending = UnsafeRawBufferPointer(start: block, count: n)
        }
    }

    /// Removes the temporary file.
    func discard() { unlink(path) }

    private static func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Bool {
        guard var p = bytes.baseAddress else { return true }
        var left = bytes.count
        while left > 0 {
            let n = write(fd, p, left)
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return false }
            p += n
            left -= n
        }
        return true
    }
}
