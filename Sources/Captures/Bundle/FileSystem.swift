#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file-system questions the bundle reader asks, over the C library (the module avoids
/// Foundation, as the rest of memtop does).
enum FileSystem {
    /// The largest file read: far above any /proc dump, low enough that a mistaken path to a device
    /// cannot grow without bound.
    static let maximumFileSize = 256 << 20

    /// True when `path` names a directory (following links).
    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// True when `path` names a regular file (following links).
    static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// The names in directory `path`, without `.` and `..`, sorted; nil when it cannot be listed.
    static func entries(_ path: String) -> [String]? {
        guard let directory = opendir(path) else { return nil }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            // SAFETY: d_name is a NUL-terminated array inside the dirent readdir returned, valid
            // until the next readdir call; it is copied into a String before that.
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// The text of the regular file at `path`.
    ///
    /// - Throws: ``CaptureError`` naming `path` when it is absent, not a regular file, larger than
    ///   ``maximumFileSize`` or unreadable.
    static func readText(_ path: String) throws(CaptureError) -> String {
        guard isRegularFile(path) else {
            throw CaptureError(file: path, line: nil, expected: "a readable file", found: "no such file")
        }
        let descriptor = open(path, O_RDONLY)
        guard descriptor >= 0 else {
            throw CaptureError(file: path, line: nil, expected: "a readable file", found: String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var block = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            // SAFETY: read writes at most block.count bytes into block's own storage.
            let got = block.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if got < 0 {
                if errno == EINTR { continue }
                throw CaptureError(file: path, line: nil, expected: "a readable file", found: String(cString: strerror(errno)))
            }
            if got == 0 { break }
            bytes.append(contentsOf: block[0..<got])
            guard bytes.count <= maximumFileSize else {
                throw CaptureError(file: path, line: nil, expected: "a file of at most \(maximumFileSize >> 20) MiB",
                                   found: "a larger one")
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
