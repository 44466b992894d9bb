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

    @Test("memtop traces: 300 seeded mutations of a lesson")
    func native() throws {
        var dir = #filePath
        for _ in 0..<3 { dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)]) }
        let lines = try Self.lines(dir + "/assets/lessons/7-contract.trace", count: 200)
        #expect(fuzz(.native, seedLines: lines, seed: 7, iterations: 300, machine: TestMachines.kernel(ram: 256 << 20)) == 300)
    }
}
