import MemtopCommand
import Testing

#if canImport(Glibc)
// `@preconcurrency` for `stdout` in the exit test (Swift 6 refuses the C global otherwise).
@preconcurrency import Glibc
#endif

/// The message `close()` threw, or nil when it did not throw.
func closeFailure(_ writer: TextFileWriter) -> String? {
    do {
        try writer.close()
        return nil
    } catch let failure as RunFailure {
        return failure.message
    } catch {
        return "\(error)"
    }
}

@Suite("Output that cannot be written is a failure, not a success")
struct WriteFailureTests {
    static let full = "cannot write /dev/full: No space left on device"

    @Test("TextFileWriter remembers a failed write and close() reports it", arguments: [10, 1 << 20])
    func writerReportsFailure(bytes: Int) throws {
        let writer = try TextFileWriter(path: "/dev/full")
        writer.write(String(repeating: "x", count: bytes))
        writer.write("more\n")
        #expect(closeFailure(writer) == WriteFailureTests.full)
    }

    @Test("A writer that succeeded closes without error, once or twice")
    func writerSucceeds() throws {
        let path = "/tmp/memtop-writer-\(getpid())-\(Int.random(in: 0..<1_000_000_000)).txt"
        defer { unlink(path) }
        let writer = try TextFileWriter(path: path)
        writer.write(String(repeating: "y", count: 100_000))
        #expect(closeFailure(writer) == nil)
        #expect(closeFailure(writer) == nil)
        var st = stat()
        #expect(stat(path, &st) == 0 && st.st_size == 100_000)
    }

    @Test("--events-out, record -o and --export to a full device exit 1")
    func commandsFail() throws {
        #expect(Memtop.main(arguments: ["run", "slab-churn", "--headless", "--dump", "buddyinfo", "--events-out", "/dev/full"]) == 1)
        // idle writes no events: an empty file on a full device is not a failure.
        #expect(Memtop.main(arguments: ["run", "idle", "--headless", "--dump", "buddyinfo", "--events-out", "/dev/full"]) == 0)
        #expect(Memtop.main(arguments: ["record", "slab-churn", "-o", "/dev/full"]) == 1)
        // An export needs a known extension: a link to the full device.
        let link = "/tmp/memtop-full-\(getpid())-\(Int.random(in: 0..<1_000_000_000)).svg"
        try #require(symlink("/dev/full", link) == 0)
        defer { unlink(link) }
        #expect(Memtop.main(arguments: ["run", "idle", "--headless", "--dump", "buddyinfo", "--export", link]) == 1)
    }

    @Test("A full standard output exits 1 with a message naming it")
    func fullStandardOutput() async throws {
        let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
            let fd = open("/dev/full", O_WRONLY)
            guard fd >= 0, dup2(fd, 1) == 1 else { exit(99) }
            // The test runner makes standard output unbuffered; memtop's, sent to a file, is buffered.
            setvbuf(stdout, nil, _IOFBF, 1 << 16)
            exit(Memtop.main(arguments: ["run", "idle", "--headless", "--dump", "buddyinfo"]))
        }
        let message = String(decoding: try #require(result).standardErrorContent, as: UTF8.self)
        #expect(message == "memtop: cannot write standard output: No space left on device\n")
    }

    @Test("Unbuffered standard output that failed mid-run still exits 1")
    func unbufferedStandardOutput() async throws {
        let result = await #expect(processExitsWith: .exitCode(1), observing: [\.standardErrorContent]) {
            let fd = open("/dev/full", O_WRONLY)
            guard fd >= 0, dup2(fd, 1) == 1 else { exit(99) }
            setvbuf(stdout, nil, _IONBF, 0)
            exit(Memtop.main(arguments: ["run", "idle", "--headless", "--dump", "buddyinfo"]))
        }
        let message = String(decoding: try #require(result).standardErrorContent, as: UTF8.self)
        #expect(message.hasPrefix("memtop: cannot write standard output: "))
    }
}
