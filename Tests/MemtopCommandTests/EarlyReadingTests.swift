import Foundation
import MemtopCommand
import MemtopTestSupport
import Testing
import Traces

/// `memtop replay BUNDLE` reads its trace on a second thread while it rebuilds the start state,
/// and tallies its events when only the reports read them: what it prints and the errors it
/// reports (and their order) must be those of a replay that does neither.
@Suite("A replay reading ahead of its machine", .serialized)
struct EarlyReadingTests {
    /// A bundle folder beside the shared 6.1-vmalloc one: its start/, end/, uname and nproc, and
    /// the first `lines` lines of its trace; `breakStart` writes a start/slabinfo.txt no parser takes.
    static func bundle(lines: Int, breakStart: Bool = false) throws -> String {
        let uname = try #require(SharedBundle.path("6.1-vmalloc", "uname.txt"))
        let shared = String(uname.dropLast("/uname.txt".count))
        let dir = NSTemporaryDirectory() + "memtop-early-\(getpid())-\(lines)-\(breakStart)"
        let files = FileManager.default
        try? files.removeItem(atPath: dir)
        try files.createDirectory(atPath: dir + "/start", withIntermediateDirectories: true)
        for name in ["uname.txt", "nproc.txt", "end"] {
            try files.createSymbolicLink(atPath: dir + "/" + name, withDestinationPath: shared + "/" + name)
        }
        for name in try files.contentsOfDirectory(atPath: shared + "/start") {
            try files.copyItem(atPath: shared + "/start/" + name, toPath: dir + "/start/" + name)
        }
        if breakStart {
            try files.removeItem(atPath: dir + "/start/slabinfo.txt")
            try "slabinfo - version: 2.1\nnot a slabinfo row\n".write(toFile: dir + "/start/slabinfo.txt", atomically: true, encoding: .utf8)
        }
        let source = try LineSource(path: shared + "/trace.txt.xz")
        var text = ""
        while source.lineNumber < lines, let line = try source.nextLine() { text += line + "\n" }
        try text.write(toFile: dir + "/trace.txt", atomically: true, encoding: .utf8)
        return dir
    }

    @Test("A start state that does not parse is reported, with the trace already being read, and the replay ends")
    func brokenStart() async throws {
        let dir = try Self.bundle(lines: 5000, breakStart: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        // Exit tests capture nothing: the child finds the folder in its environment.
        setenv("MEMTOP_TEST_BUNDLE", dir, 1)
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let dir = String(cString: getenv("MEMTOP_TEST_BUNDLE"))
            guard case .exit(let code) = Memtop.start(arguments: ["replay", dir, "--headless"]) else { exit(97) }
            exit(code)
        }
        let message = String(decoding: try #require(result).standardErrorContent, as: UTF8.self)
        #expect(message.contains(dir + "/start/slabinfo.txt:"), "\(message)")
    }

    @Test("The summary and end state print alike whether the events are tallied or kept for --events-out")
    func talliedOrKept() async throws {
        let dir = try Self.bundle(lines: 40000)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        var outputs: [String] = []
        setenv("MEMTOP_TEST_BUNDLE", dir, 1)
        for keeps in [false, true] {
            setenv("MEMTOP_TEST_KEEPS", keeps ? "1" : "0", 1)
            let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
                let dir = String(cString: getenv("MEMTOP_TEST_BUNDLE"))
                let events = String(cString: getenv("MEMTOP_TEST_KEEPS")) == "1" ? ["--events-out", dir + "/events.jsonl"] : []
                guard case .exit(let code) = Memtop.start(arguments: ["replay", dir, "--headless"] + events) else { exit(97) }
                exit(code)
            }
            outputs.append(String(decoding: try #require(result).standardOutputContent, as: UTF8.self))
        }
        #expect(outputs[0].contains("Allocations by call site:") && outputs[0].contains("End state against"))
        #expect(outputs[0] == outputs[1])
        let events = try String(contentsOfFile: dir + "/events.jsonl", encoding: .utf8)
        #expect(events.split(separator: "\n").count > 10_000)
    }

    // With the tests above, not in a suite of its own: exit tests read the environment, which
    // tests running alongside would be setting.
    @Test("A replay whose bundle was read while its arguments were parsed prints what one read after them prints")
    func sameOutput() async throws {
        let dir = try Self.bundle(lines: 20000)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        setenv("MEMTOP_TEST_GUESS_BUNDLE", dir, 1)
        var outputs: [String] = []
        for guessed in [true, false] {
            setenv("MEMTOP_TEST_GUESSED", guessed ? "1" : "0", 1)
            let result = await #expect(processExitsWith: .success, observing: [\.standardOutputContent]) {
                let dir = String(cString: getenv("MEMTOP_TEST_GUESS_BUNDLE"))
                // "--" ends the options for the parser, and the look at the arguments does not read that form.
                let arguments = String(cString: getenv("MEMTOP_TEST_GUESSED")) == "1"
                    ? ["replay", dir, "--headless", "--dump", "buddyinfo,slabinfo"]
                    : ["replay", "--headless", "--dump", "buddyinfo,slabinfo", "--", dir]
                guard case .exit(let code) = Memtop.start(arguments: arguments) else { exit(97) }
                exit(code)
            }
            outputs.append(String(decoding: try #require(result).standardOutputContent, as: UTF8.self))
        }
        #expect(outputs[0].contains("20000 lines") && outputs[0].contains("slabinfo - version: 2.1"))
        #expect(outputs[0] == outputs[1])
    }
}
