import Fuzzing
import HeapModel
import MemtopTestSupport
import Testing
import Traces

/// A short, bounded pass of the mutation fuzzer, so that CI keeps it honest: every mutated input
/// ends with a result or a typed error (a trap would end the test process). Longer runs:
/// `swift run -c release memtop-fuzz --seconds 60`.
@Suite("Fuzzing the input readers")
struct FuzzTests {
    static func lines(_ path: String?, count: Int) throws -> [String] {
        let source = try LineSource(path: try #require(path))
        var lines: [String] = []
        while lines.count < count, let line = try source.nextLine() { lines.append(String(line)) }
        return lines
    }

    @Test("ftrace text: 300 seeded mutations of the real capture's first lines, placed and simulated", arguments: [1, 2] as [UInt64])
    func ftrace(seed: UInt64) throws {
        let lines = try Self.lines(RealCapture.path("trace.txt.xz"), count: 120)
        let n = fuzz(.ftrace, seedLines: lines, seed: seed, iterations: 150, machine: TestMachines.kernel(ram: 256 << 20, kernel: .v6_1))
        #expect(n == 150)
    }

    /// The repository's root (the seeds' paths are relative to it).
    static var root: String {
        var dir = #filePath
        for _ in 0..<3 { dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)]) }
        return dir
    }

    @Test("perf script -g and trace-cmd report text: 150 seeded mutations each of the 6.1-mix recordings",
          arguments: [FuzzTarget.perf, .traceCmd])
    func recorderText(target: FuzzTarget) throws {
        let lines = FuzzSeeds.lines(target, root: Self.root, count: 400)
        try #require(lines.count == 400, "the seed recording is missing")
        #expect(fuzz(target, seedLines: lines, seed: 5, iterations: 150, machine: TestMachines.kernel(ram: 256 << 20, kernel: .v6_1)) == 150)
    }

    @Test("Config files: whatever the parser accepts, every subcommand's options accept (200 mutations)")
    func config() throws {
        var findings: [String] = []
        let lines = FuzzSeeds.lines(.config, root: Self.root, count: 0)
        #expect(FuzzTarget.config.run(lines, machine: TestMachines.kernel(ram: 256 << 20)) == nil, "the seed itself must pass")
        #expect(fuzz(.config, seedLines: lines, seed: 11, iterations: 200, machine: TestMachines.kernel(ram: 256 << 20)) {
            findings.append($0)
        } == 200)
        #expect(findings.isEmpty, "\(findings.prefix(3))")
    }

    @Test("trace.dat: 12 seeded byte mutations each of a version 6 and a zstd version 7 file")
    func traceDat() throws {
        let machine = TestMachines.kernel(ram: 256 << 20, kernel: .v6_1)
        for v6 in [false, true] {
            let bytes = FuzzSeeds.bytes(.traceDat, root: Self.root, v6: v6)
            try #require(bytes.count > 1 << 20, "the seed trace.dat is missing")
            #expect(FuzzTarget.traceDat.run(bytes: bytes, machine: machine) == nil)
            #expect(fuzz(.traceDat, seedBytes: bytes, seed: v6 ? 21 : 22, iterations: 12, machine: machine) == 12)
        }
    }

    @Test("memtop traces: 300 seeded mutations of a lesson")
    func native() throws {
        var dir = #filePath
        for _ in 0..<3 { dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)]) }
        let lines = try Self.lines(dir + "/assets/lessons/7-contract.trace", count: 200)
        #expect(fuzz(.native, seedLines: lines, seed: 7, iterations: 300, machine: TestMachines.kernel(ram: 256 << 20)) == 300)
    }
}
