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
        var replayer = FtraceReplayer(machine: TestMachines.kernel(kernel: .v6_1), file: path, check: false)
        try feed(&replayer, path: path, strict: true)
        #expect(replayer.summary.lostEvents == Int.max)
        #expect(replayer.summary.events["kfree"] == 1)

        var pipelined = FtraceReplayer(machine: TestMachines.kernel(kernel: .v6_1), file: path, check: false)
        try pipelined.replayAll(from: try LineSource(path: path), strict: true) { _, _ in }
        #expect(pipelined.summary.lostEvents == Int.max)
        #expect(Memtop.main(arguments: ["replay", path, "--kernel", "6.1", "--summary", "json"]) == 0)
    }

    @Test("A single 20-digit lost count is read as Int.max, not refused as a non-ftrace line")
    func twentyDigitLostCount() throws {
        let path = temporaryFile(header + "CPU:3 [LOST 18446744073709551616123 EVENTS]\n")
        defer { unlink(path) }
        var replayer = FtraceReplayer(machine: TestMachines.kernel(kernel: .v6_1), file: path, check: false)
        try feed(&replayer, path: path, strict: true)
        #expect(replayer.summary.lostEvents == Int.max)
    }
}
