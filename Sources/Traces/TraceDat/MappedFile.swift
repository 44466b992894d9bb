#if canImport(Glibc)
import Glibc
#endif

/// A whole file mapped read-only, because a trace.dat is read out of order: the version 7 header
/// points at sections anywhere in the file, and each CPU's ring-buffer pages are read side by side.
///
/// # Invariants
/// The mapping is never written and lives until `deinit`, so the bytes can be read from any
/// thread; that is why the class can be `@unchecked Sendable`.
final class MappedFile: @unchecked Sendable {
    /// The first byte (a one-byte allocation for an empty file, so that the pointer is valid).
    let base: UnsafeRawPointer
    /// The size in bytes.
    let size: Int
    private let mapped: Bool

    /// Maps `path`; `name` is the file as the user named it, for messages.
    /// - Throws: ``TraceInputError`` when it cannot be opened or mapped.
    init(path: String, name: String) throws(TraceInputError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw TraceInputError(file: name, line: nil, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            throw TraceInputError(file: name, line: nil, message: "expected a regular file for a trace.dat")
        }
        size = Int(st.st_size)
        if size == 0 {
            base = UnsafeRawPointer(UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 8))
            mapped = false
            return
        }
        guard let p = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), p != MAP_FAILED else {
            throw TraceInputError(file: name, line: nil, message: "cannot map the file: \(String(cString: strerror(errno)))")
        }
        // The ring-buffer pages are read front to back, one stream per CPU.
        _ = madvise(p, size, MADV_SEQUENTIAL)
        base = UnsafeRawPointer(p)
        mapped = true
    }

    deinit {
        if mapped {
            munmap(UnsafeMutableRawPointer(mutating: base), size)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    /// The whole file as ``DatBytes``.
    func bytes(bigEndian: Bool, file: String) -> DatBytes {
        DatBytes(base: base, count: size, bigEndian: bigEndian, file: file, place: "the file")
    }
}
