import HeapModel
import MemtopCommand
import Testing
import Traces

#if canImport(Glibc)
import Glibc
#endif

/// The text layouts kernel developers get from their tools: perf script (plain and -F) and
/// trace-cmd report (plain and -R) of one window of the shared 6.1-mix capture.
@Suite("perf script and trace-cmd report text")
struct TraceTextLayoutTests {
    static func file(_ name: String, from source: String = #filePath) -> String? {
        var dir = source
        for _ in 0..<4 { dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)]) }
        let path = dir + "/shared/traces/formats/6.1-mix/" + name
        return access(path, R_OK) == 0 ? path : nil
    }

    static func endState(_ name: String) throws -> (String, ReplaySummary) {
        let path = try #require(file(name), "shared/traces/formats/6.1-mix/\(name)")
        let (m, summary, _) = try Memtop.Replay.endState(of: path, kernel: .v6_1)
        return (m.buddyinfo() + m.slabinfo() + m.vmallocinfo(), summary)
    }

    @Test("trace-cmd report, plain, -R and -l, replays to the same end state as the trace.dat it was made from")
    func traceCmdReport() throws {
        let (dat, datSummary) = try Self.endState("trace-v7.dat.xz")
        for name in ["trace-cmd-report.txt.xz", "trace-cmd-report-R.txt.xz", "trace-cmd-report-l.txt.xz"] {
            let (text, summary) = try Self.endState(name)
            #expect(summary.malformedCount == 0, "\(name): \(summary.malformed.prefix(2))")
            #expect(summary.events == datSummary.events, "\(name)")
            #expect(text == dat, "\(name)")
        }
    }

    @Test("perf script, plain and -F comm,pid,tid,cpu,time,event,trace, reads every kmem event")
    func perfScript() throws {
        let (plain, plainSummary) = try Self.endState("perf-script.txt.xz")
        let (fields, fieldsSummary) = try Self.endState("perf-script-fields.txt.xz")
        #expect(plainSummary.unknownEvents.isEmpty && plainSummary.malformedCount == 0, "\(plainSummary.unknownEvents)")
        #expect(plainSummary.events.values.reduce(0, +) == 213_518)
        #expect(plainSummary.events == fieldsSummary.events)
        #expect(plain == fields)
        // With -g, each event is followed by its call chain; the event lines are the same recording.
        let (chains, chainsSummary) = try Self.endState("perf-script-g.txt.xz")
        #expect(chainsSummary.malformedCount == 0 && chainsSummary.unknownEvents.isEmpty)
        #expect(chainsSummary.events.values.reduce(0, +) == 213_479)
        #expect(!chains.isEmpty)
    }

    @Test("A file in which no line is an event memtop reads is an error, not an empty replay")
    func unknownLayout() throws {
        let path = temporaryFile("  sh-1 [000] ..... 1.0: sched_switch: prev_comm=sh prev_pid=1\n  sh-1 [000] ..... 1.1: sched_wakeup: comm=sh pid=2\n")
        defer { unlink(path) }
        #expect(replayError([path, "--kernel", "6.1", "--headless"])?.contains("found no such event in 2 lines") == true)
        #expect(Memtop.main(arguments: ["replay", path, "--kernel", "6.1", "--headless"]) == 1)
    }
}
