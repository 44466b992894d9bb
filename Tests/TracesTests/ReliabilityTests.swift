import HeapModel
import MemtopCommand
import MemtopTestSupport
import Testing
import Traces

#if canImport(Glibc)
import Glibc
#endif

@Suite("Traces that must not trap or be half-read silently")
struct TraceReliabilityTests {
    /// Three ring-buffer losses whose sum is past `Int.max`, and one whose count alone is.
    static let lostLines = header + """
        CPU:0 [LOST 4611686018427387899 EVENTS]
        CPU:0 [LOST 4611686018427387899 EVENTS]
        CPU:0 [LOST 4611686018427387899 EVENTS]
        CPU:1 [LOST 99999999999999999999 EVENTS]
                  sh-1       [000] .....     1.000000: kfree: call_site=b+0x1/0x2 ptr=ffff888000009000

        """

    @Test("Lost-event counts past Int.max saturate, line by line and pipelined, instead of trapping")
    func lostEventsSaturate() throws {
        let path = temporaryFile(TraceReliabilityTests.lostLines)
        defer { unlink(path) }
        var machine = TestMachines.kernel(kernel: .v6_1)
        var replayer = FtraceReplayer(file: path, kernel: .v6_1, check: false)
        try feed(&replayer, &machine, path: path, strict: true)
        #expect(replayer.summary.lostEvents == Int.max)
        #expect(replayer.summary.events["kfree"] == 1)

        var other = TestMachines.kernel(kernel: .v6_1)
        var pipelined = FtraceReplayer(file: path, kernel: .v6_1, check: false)
        try pipelined.replayAll(from: try LineSource(path: path), strict: true, on: &other) { _, _, _ in }
        #expect(pipelined.summary.lostEvents == Int.max)
        #expect(Memtop.main(arguments: ["replay", path, "--kernel", "6.1", "--summary", "json"]) == 0)
    }

    @Test("A single 20-digit lost count is read as Int.max, not refused as a non-ftrace line")
    func twentyDigitLostCount() throws {
        let path = temporaryFile(header + "CPU:3 [LOST 18446744073709551616123 EVENTS]\n")
        defer { unlink(path) }
        var machine = TestMachines.kernel(kernel: .v6_1)
        var replayer = FtraceReplayer(file: path, kernel: .v6_1, check: false)
        try feed(&replayer, &machine, path: path, strict: true)
        #expect(replayer.summary.lostEvents == Int.max)
    }
}

/// Runs `command` through the shell; true when it exits 0.
func shell(_ command: String) -> Bool {
    guard let p = popen(command, "r") else { return false }
    return pclose(p) == 0
}

@Suite("A decompressor that fails is an error, not a short trace")
struct DecompressorFailureTests {
    /// A directory of its own under /tmp, with a plain trace of `lines` real lines in `trace.txt`.
    static func directory(lines: Int) throws -> String {
        let real = try #require(RealCapture.path("trace.txt.xz"), "shared/traces/real must sit beside the repository")
        let dir = "/tmp/memtop-decompress-\(getpid())-\(Int.random(in: 0..<1_000_000_000))"
        try #require(mkdir(dir, 0o700) == 0)
        try #require(shell("xz -dc -- '\(real)' | head -n \(lines) > '\(dir)/trace.txt'"))
        return dir
    }

    /// Compresses `dir/trace.txt` with `tool` and drops the last `cut` bytes; returns the path.
    static func truncated(_ dir: String, tool: String, suffix: String, cut: Int) throws -> String {
        let path = "\(dir)/bad.trace.txt.\(suffix)"
        try #require(shell("\(tool) -c < '\(dir)/trace.txt' > '\(path)'"))
        var st = stat()
        try #require(stat(path, &st) == 0)
        try #require(truncate(path, st.st_size - off_t(cut)) == 0)
        return path
    }

    @Test("A truncated .xz or .gz: every reader stops with an error naming the file and xz's reason",
          arguments: [("xz", "xz", 20), ("gzip", "gz", 6)])
    func truncatedArchive(tool: String, suffix: String, cut: Int) throws {
        let dir = try DecompressorFailureTests.directory(lines: 3000)
        defer { _ = shell("rm -rf -- '\(dir)'") }
        let path = try DecompressorFailureTests.truncated(dir, tool: tool, suffix: suffix, cut: cut)

        // Line by line: the lines before the damage are read, then the failure.
        let source = try LineSource(path: path)
        var read = 0
        let error = try #require(throws: TraceInputError.self) { try source.forEachLine { _ in read += 1; return true } }
        #expect(error.file == path && error.line == nil)
        #expect(error.message.hasPrefix("\(tool) could not decompress the file: "), "\(error)")
        #expect(error.message.lowercased().contains("unexpected end"), "\(error)")
        #expect(read > 2000)
        // The failure stays: asking again at the end reports it again.
        #expect(throws: error) { _ = try source.nextLine() }

        // The pipelined reader reports it the same way, without a line number.
        var machine = TestMachines.kernel(ram: 1 << 30, cpus: 2, kernel: .v6_1)
        var replayer = FtraceReplayer(file: path, kernel: .v6_1, check: false)
        #expect(throws: error) { try replayer.replayAll(from: try LineSource(path: path), strict: false, on: &machine) { _, _, _ in } }

        // And the headless replay exits non-zero.
        #expect(replayError([path, "--kernel", "6.1"]) == error.description)
        #expect(Memtop.main(arguments: ["replay", path, "--kernel", "6.1"]) == 1)
    }

    @Test("An intact .xz reads to its end without an error")
    func intactArchive() throws {
        let dir = try DecompressorFailureTests.directory(lines: 500)
        defer { _ = shell("rm -rf -- '\(dir)'") }
        let path = try DecompressorFailureTests.truncated(dir, tool: "xz", suffix: "xz", cut: 0)
        let source = try LineSource(path: path)
        var read = 0
        try source.forEachLine { _ in read += 1; return true }
        #expect(read == 500)
        #expect(try source.nextLine() == nil)
    }
}
