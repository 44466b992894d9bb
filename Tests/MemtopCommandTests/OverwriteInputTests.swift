import ArgumentParser
import MemtopCommand
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("An output that is the input trace is refused before anything is written")
struct OverwriteInputTests {
    static let trace = """
        # tracer: nop
                  sh-1       [000] .....     1.000000: kmalloc: call_site=a+0x1/0x2 ptr=ffff888000001000 bytes_req=72 bytes_alloc=96 gfp_flags=GFP_KERNEL node=-1 accounted=false

        """

    /// A directory of its own holding `trace.txt`.
    static func directory() throws -> String {
        let dir = "/tmp/memtop-overwrite-\(getpid())-\(Int.random(in: 0..<1_000_000_000))"
        try #require(mkdir(dir, 0o700) == 0)
        let f = try #require(fopen(dir + "/trace.txt", "w"))
        fputs(trace, f)
        fclose(f)
        return dir
    }

    static func remove(_ dir: String) {
        for name in ["trace.txt", "link.txt", "hard.txt", "events.jsonl"] { unlink(dir + "/" + name) }
        rmdir(dir)
    }

    /// The parser's message for `arguments`, or nil when they parse.
    static func refusal(_ arguments: [String]) -> String? {
        do {
            _ = try Memtop.parseAsRoot(arguments)
            return nil
        } catch {
            #expect(Memtop.exitCode(for: error) == .validationFailure)
            return Memtop.message(for: error)
        }
    }

    @Test("--events-out and --export naming the trace, literally, through a link or another path, are refused with exit 2")
    func refused() throws {
        let dir = try OverwriteInputTests.directory()
        defer { OverwriteInputTests.remove(dir) }
        let trace = dir + "/trace.txt"
        try #require(symlink(trace, dir + "/link.txt") == 0)
        try #require(link(trace, dir + "/hard.txt") == 0)
        for output in [trace, dir + "/link.txt", dir + "/hard.txt", dir + "/../" + String(dir.split(separator: "/").last!) + "/trace.txt"] {
            #expect(OverwriteInputTests.refusal(["replay", trace, "--events-out", output])
                    == "--events-out \(output) is the input trace; refusing to overwrite it")
            #expect(OverwriteInputTests.refusal(["replay", trace, "--headless", "--export", output])
                    == "--export \(output) is the input trace; refusing to overwrite it")
        }
        // Reading through the link is the same file too.
        #expect(OverwriteInputTests.refusal(["replay", dir + "/link.txt", "--events-out", trace]) != nil)
        #expect(Memtop.main(arguments: ["replay", trace, "--kernel", "6.1", "--events-out", trace]) == 2)
        var st = stat()
        #expect(stat(trace, &st) == 0 && Int(st.st_size) == OverwriteInputTests.trace.utf8.count)
    }

    @Test("run on a hand-written workload refuses to write over its trace")
    func workloadTrace() throws {
        let lesson = try #require(Lessons.workloads().first, "assets/workloads holds traces")
        #expect(OverwriteInputTests.refusal(["run", lesson.name, "--events-out", lesson.path])
                == "--events-out \(lesson.path) is the input trace; refusing to overwrite it")
    }

    @Test("Another file, a new file and standard output are accepted")
    func accepted() throws {
        let dir = try OverwriteInputTests.directory()
        defer { OverwriteInputTests.remove(dir) }
        let trace = dir + "/trace.txt"
        #expect(OverwriteInputTests.refusal(["replay", trace, "--events-out", dir + "/events.jsonl"]) == nil)
        #expect(OverwriteInputTests.refusal(["replay", trace, "--events-out", "-"]) == nil)
        #expect(OverwriteInputTests.refusal(["replay", "-", "--events-out", "-"]) == nil)
        #expect(Memtop.main(arguments: ["replay", trace, "--kernel", "6.1", "--dump", "buddyinfo", "--events-out", dir + "/events.jsonl"]) == 0)
        var st = stat()
        #expect(stat(dir + "/events.jsonl", &st) == 0 && st.st_size > 0)
    }
}
