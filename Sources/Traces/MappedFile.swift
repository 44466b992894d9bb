import CMapGuard
#if canImport(Glibc)
import Glibc
#endif

/// A whole file mapped read-only: a trace.dat, which is read out of order (the version 7 header
/// points at sections anywhere in the file, and each CPU's ring-buffer pages are read side by
/// side), and a plain-text trace, whose blocks of lines are then decoded where the page cache
/// holds them instead of being copied out by `read` (a tenth of the reading thread's time).
///
/// A file truncated while mapped would make a read past its new end a SIGBUS; the mapping is
/// registered with CMapGuard, whose handler puts zeros there instead, and ``truncated`` tells
/// the readers, which report it as an error.
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
    /// The mapping's slot in the SIGBUS guard (-1: unguarded).
    private let guardSlot: Int32
    /// The file, open, for its size now (-1: none).
    private let descriptor: Int32

    /// Maps `path`; `name` is the file as the user named it, for messages.
    /// - Throws: ``TraceInputError`` when it cannot be opened or mapped.
    static func map(path: String, name: String) throws(TraceInputError) -> MappedFile {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw TraceInputError(file: name, line: nil, message: "cannot open: \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else {
            throw TraceInputError(file: name, line: nil, message: "expected a regular file for a trace.dat")
        }
        // The ring-buffer pages are read front to back, one stream per CPU.
        guard let file = MappedFile(descriptor: fd, size: Int(st.st_size), advice: MADV_SEQUENTIAL) else {
            throw TraceInputError(file: name, line: nil, message: "cannot map the file: \(String(cString: strerror(errno)))")
        }
        return file
    }

    /// Maps the first `size` bytes of the open regular file `descriptor` (which may be closed
    /// afterwards), with `advice` for `madvise`; nil when it cannot be mapped.
    init?(descriptor: Int32, size: Int, advice: Int32) {
        self.size = max(size, 0)
        if self.size == 0 {
            base = UnsafeRawPointer(UnsafeMutableRawPointer.allocate(byteCount: 1, alignment: 8))
            mapped = false
            guardSlot = -1
            self.descriptor = -1
            return
        }
        guard let p = mmap(nil, self.size, PROT_READ, MAP_PRIVATE, descriptor, 0), p != MAP_FAILED else { return nil }
        _ = madvise(p, self.size, advice)
        base = UnsafeRawPointer(p)
        mapped = true
        guardSlot = memtop_map_guard_add(p, self.size)
        self.descriptor = fcntl(descriptor, F_DUPFD_CLOEXEC, 0)
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
        if mapped {
            memtop_map_guard_remove(guardSlot)
            munmap(UnsafeMutableRawPointer(mutating: base), size)
        } else {
            UnsafeMutableRawPointer(mutating: base).deallocate()
        }
    }

    /// Lets the kernel drop its mapping of the pages wholly inside `[start, start + count)`, which
    /// the caller is done with: they stay in the page cache (a later read maps them again), but no
    /// longer count in memtop's resident memory, which then stays bounded however long the file.
    func release(_ start: UnsafeRawPointer, count: Int) {
        guard mapped else { return }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let from = (Int(bitPattern: start) + page - 1) & ~(page - 1), to = (Int(bitPattern: start) + count) & ~(page - 1)
        if to > from { _ = madvise(UnsafeMutableRawPointer(bitPattern: from), to - from, MADV_DONTNEED) }
    }

    /// Whether a read found part of the mapping past the file's end (the file was truncated while
    /// mapped; zeros were read there).
    var truncated: Bool { memtop_map_guard_faulted(guardSlot) != 0 }

    /// Whether the bytes before `offset` are the file's: true unless the file was truncated
    /// (``truncated``) to less than that.
    func intact(upTo offset: Int) -> Bool {
        guard truncated else { return true }
        var st = stat()
        return descriptor >= 0 && fstat(descriptor, &st) == 0 && Int(st.st_size) >= offset
    }

    /// The whole file as ``DatBytes``.
    func bytes(bigEndian: Bool, file: String) -> DatBytes {
        DatBytes(base: base, count: size, bigEndian: bigEndian, file: file, place: "the file")
    }
}

extension TraceInputError {
    /// The error of a mapped file found truncated while it was read.
    static func truncated(_ file: String) -> TraceInputError {
        TraceInputError(file: file, line: nil, message: "the file was truncated while memtop read it")
    }
}
