#if canImport(Glibc)
import Glibc
#endif
import HeapModel
import MemtopTestSupport
import Testing
@testable import Traces

@Suite("Reading traces fast: the block reader and the pointer map")
struct ReadingTests {
    @Test("Lines across block boundaries, CRLF, a last line without newline, and offsets for seeking")
    func blockBoundaries() throws {
        // Lines of varied lengths so that several straddle the 1 MiB block boundary.
        var text = ""
        var expected: [String] = []
        var rng = SeededGenerator(seed: 7)
        while text.utf8.count < 3 * LineSource.blockSize {
            let line = String(repeating: "x", count: Int.random(in: 0..<3000, using: &rng)) + "\(expected.count)"
            expected.append(line)
            text += line + (expected.count % 5 == 0 ? "\r\n" : "\n")
        }
        text += "last"
        expected.append("last")
        let path = temporaryFile(text)
        let source = try LineSource(path: path)
        var got: [String] = []
        var offsets: [Int64] = []
        try source.forEachLine { bytes in
            got.append(String(decoding: bytes, as: UTF8.self))
            offsets.append(source.offset)
            return true
        }
        #expect(got == expected)
        #expect(source.lineNumber == expected.count)
        #expect(source.bytesRead == text.utf8.count)
        // Seeking to the offset after line k continues with line k + 1.
        for k in [0, 400, expected.count / 2, expected.count - 2] {
            #expect(source.seek(toOffset: offsets[k], line: k + 1))
            let next = try source.nextLine()
            #expect(next.map(String.init) == expected[k + 1])
            #expect(source.lineNumber == k + 2)
        }
    }

    @Test("A NUL byte is refused on its own line, even past the first block; an over-long line is refused")
    func binaryAndLongLines() throws {
        let filler = String(repeating: "a", count: 99) + "\n"
        let lines = LineSource.blockSize / 100 + 10
        let path = temporaryFile(String(repeating: filler, count: lines) + "ok\nbad\u{0}line\nafter\n")
        let source = try LineSource(path: path)
        var seen = 0
        #expect(throws: TraceInputError(file: path, line: lines + 2, message: "expected text, found a NUL byte (a binary file?)")) {
            try source.forEachLine { _ in seen += 1; return true }
        }
        #expect(seen == lines + 1)
        let long = temporaryFile("short\n" + String(repeating: "b", count: LineSource.maxLine + 10) + "\n")
        let longSource = try LineSource(path: long)
        #expect(throws: TraceInputError.self) { try longSource.forEachLine { _ in true } }
        #expect(longSource.lineNumber == 2)
    }

    @Test("PointerMap agrees with Dictionary over seeded random inserts, replacements and removals")
    func pointerMapMatchesDictionary() {
        for seed in UInt64(1)...4 {
            var rng = SeededGenerator(seed: seed)
            var map = PointerMap<Int>(filler: -1)
            var reference: [UInt64: Int] = [:]
            // Keys like kernel pointers (clustered, aligned), small numbers, and the reserved empty key.
            func key() -> UInt64 {
                switch Int.random(in: 0..<10, using: &rng) {
                case 0: return .max
                case 1...3: return UInt64.random(in: 0..<64, using: &rng)
                default: return 0xff25_2c4e_4400_0000 &+ UInt64.random(in: 0..<4096, using: &rng) &* 64
                }
            }
            var firstDifference: Int?
            for step in 0..<20_000 where firstDifference == nil {
                let k = key()
                let same = Int.random(in: 0..<3, using: &rng) == 0
                    ? map.removeValue(forKey: k) == reference.removeValue(forKey: k)
                    : map.updateValue(step, forKey: k) == reference.updateValue(step, forKey: k)
                if !same || map.count != reference.count { firstDifference = step }
            }
            #expect(firstDifference == nil, "seed \(seed)")
            #expect(reference.count > 1000, "the test must grow the table several times")
            #expect(reference.keys.allSatisfy { map[$0] == reference[$0] })
            #expect((0..<1000).allSatisfy { _ in let k = key(); return map[k] == reference[k] })
        }
    }
}

@Suite("Pipelined replay equals line-by-line replay")
struct PipelinedReplayTests {
    /// A replayer and the machine it replayed on.
    struct Replayed {
        var replayer: FtraceReplayer
        var machine = TestMachines.kernel(ram: 1 << 30, cpus: 2, kernel: .v6_1)
        var summary: ReplaySummary { replayer.summary }
        var liveAtEnd: Int { replayer.liveAtEnd }
        var check: CheckReport? { replayer.check }
        init(_ path: String, check: Bool) { replayer = FtraceReplayer(file: path, kernel: .v6_1, check: check) }
    }

    /// Replays `path` line by line up to `limit`; returns the replay and the error that stopped it.
    func lineByLine(_ path: String, limit: Int = .max, strict: Bool, check: Bool = false) throws -> (Replayed, TraceInputError?) {
        var r = Replayed(path, check: check)
        let source = try LineSource(path: path)
        do throws(TraceInputError) {
            while source.lineNumber < limit, let line = try source.nextLine() {
                try r.replayer.apply(line, line: source.lineNumber, strict: strict, to: &r.machine)
            }
        } catch {
            return (r, error)
        }
        return (r, nil)
    }

    /// Replays `path` through ``FtraceReplayer/replayAll``, counting the lines it reports.
    func pipelined(_ path: String, limit: Int = .max, strict: Bool, check: Bool = false) throws -> (Replayed, TraceInputError?, Int) {
        var r = Replayed(path, check: check)
        let source = try LineSource(path: path)
        var seen = 0
        do throws(TraceInputError) {
            try r.replayer.replayAll(from: source, upTo: limit, strict: strict, on: &r.machine) { _, _, line in
                seen += 1
                precondition(line == seen, "lines out of order")
            }
        } catch {
            return (r, error, seen)
        }
        return (r, nil, seen)
    }

    func expectSame(_ a: Replayed, _ b: Replayed) {
        #expect(a.machine == b.machine)
        let (x, y) = (a.summary, b.summary)
        #expect(x.lines == y.lines)
        #expect(x.events == y.events)
        #expect(x.applied == y.applied)
        #expect(x.unknownEvents == y.unknownEvents)
        #expect(x.malformed == y.malformed)
        #expect(x.lostEvents == y.lostEvents)
        #expect(x.freesOfUnknown == y.freesOfUnknown)
        #expect(x.simulationFailures == y.simulationFailures)
        #expect(a.liveAtEnd == b.liveAtEnd)
        #expect(a.check?.compared == b.check?.compared)
        #expect(a.check?.mismatches == b.check?.mismatches)
    }

    @Test("The real capture (through xz): same machine, same summary, same check")
    func realCapture() throws {
        let path = try #require(RealCapture.path("trace.txt.xz"), "shared/traces/real must sit beside the repository")
        let (one, e1) = try lineByLine(path, strict: true, check: true)
        let (two, e2, seen) = try pipelined(path, strict: true, check: true)
        #expect(e1 == nil && e2 == nil)
        #expect(seen == one.summary.lines && seen > 100_000)
        expectSame(one, two)
    }

    @Test("afterLine every 4096 lines: called at exactly the multiples of 4096, and the replay ends the same")
    func afterLineInterval() throws {
        let real = try #require(RealCapture.path("trace.txt.xz"))
        let (every, _, seen) = try pipelined(real, limit: 50_000, strict: true)
        var sparse = Replayed(real, check: false)
        var called: [Int] = []
        try sparse.replayer.replayAll(from: try LineSource(path: real), upTo: 50_000, strict: true, on: &sparse.machine, every: 4096) {
            _, _, line in called.append(line)
        }
        #expect(seen == 50_000)
        #expect(called == Array(stride(from: 4096, through: 50_000, by: 4096)))
        expectSame(every, sparse)
    }

    @Test("Malformed lines, unknown events, a limit and a strict stop, across several blocks")
    func errorsAcrossBlocks() throws {
        let real = try #require(RealCapture.path("trace.txt.xz"))
        // The first 30,000 lines of the capture (about 5 MB: several blocks), with bad lines spread through it.
        let source = try LineSource(path: real)
        var text = ""
        while source.lineNumber < 30_000, let line = try source.nextLine() {
            switch source.lineNumber {
            case 9_000: text += "  kworker/0:1-17 [000] ..... 1.0: kmalloc: call_site=x ptr=zz bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL\n"
            case 9_001: text += "  kworker/0:1-17 [000] ..... 1.0: sched_switch: prev_comm=a\n"
            case 20_000: text += "  kworker/0:1-17 [001] ..... 1.0: kmalloc: call_site=x ptr=ff00 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_BOGUS\n"
            default: text += line + "\n"
            }
        }
        let path = temporaryFile(text)
        // Lenient: both count the two malformed lines and the unknown event the same way.
        let (one, e1) = try lineByLine(path, strict: false)
        let (two, e2, _) = try pipelined(path, strict: false)
        #expect(e1 == nil && e2 == nil)
        #expect(two.summary.malformed.map(\.line) == [9_000, 20_000])
        expectSame(one, two)
        // Strict: both stop at line 9000 with the same message.
        let (three, e3) = try lineByLine(path, strict: true)
        let (four, e4, seen) = try pipelined(path, strict: true)
        #expect(e3 != nil && e3 == e4 && e4?.line == 9_000)
        #expect(seen == 8_999)
        expectSame(three, four)
        // A limit: the state as of line 25,000.
        let (five, _) = try lineByLine(path, limit: 25_000, strict: false)
        let (six, _, upTo) = try pipelined(path, limit: 25_000, strict: false)
        #expect(upTo == 25_000)
        expectSame(five, six)
    }

    /// A trace of `count` kmalloc/kfree lines (about 110 bytes each), numbered in their call sites.
    func kmallocLines(_ count: Int) -> String {
        var text = ""
        for i in 0..<count {
            let ptr = String(0xffff_8880_1000_0000 + UInt64(i % 500) * 64, radix: 16)
            text += i % 2 == 0
                ? "  sh-1 [000] ..... 1.0: kmalloc: call_site=t+0x\(i)/0x2 ptr=\(ptr) bytes_req=40 bytes_alloc=64 gfp_flags=GFP_KERNEL\n"
                : "  sh-1 [000] ..... 1.0: kfree: call_site=t+0x\(i)/0x4 ptr=\(ptr)\n"
        }
        return text
    }

    @Test("A mapped file (over 4 MiB): a limit with rewind leaves the source at the next line, and the rest reads on")
    func mappedLimitAndRewind() throws {
        let count = 60_000
        let path = temporaryFile(kmallocLines(count))
        let (whole, e1) = try lineByLine(path, strict: false)
        #expect(e1 == nil)
        var r = Replayed(path, check: false)
        let source = try LineSource(path: path)
        var seen = 0
        try r.replayer.replayAll(from: source, upTo: 25_000, strict: false, rewind: true, on: &r.machine) { _, _, line in seen = line }
        #expect(seen == 25_000)
        // The next line read is line 25,001 (its call site says 0x25000), though the reader had mapped far past it.
        let next = try #require(try source.nextLine())
        #expect(next.contains("call_site=t+0x25000/"))
        try r.replayer.apply(next, line: source.lineNumber, strict: false, to: &r.machine)
        try r.replayer.replayAll(from: source, strict: false, on: &r.machine) { _, _, line in seen = line }
        #expect(seen == count)
        expectSame(whole, r)
    }

    @Test("A mapped trace truncated while it is read ends the replay with an error, not a SIGBUS")
    func truncatedWhileMapped() throws {
        let text = kmallocLines(60_000)
        let path = temporaryFile(text)
        let source = try LineSource(path: path)
        // Shrunk to 1 MiB after it was mapped: the first block lies within it, the second does not.
        #expect(truncate(path, off_t(LineSource.blockSize)) == 0)
        var r = Replayed(path, check: false)
        var seen = 0
        #expect(throws: TraceInputError(file: path, line: nil, message: "the file was truncated while memtop read it")) {
            try r.replayer.replayAll(from: source, strict: false, on: &r.machine) { _, _, line in seen = line }
        }
        let firstBlock = Array(text.utf8.prefix(LineSource.blockSize)).count(where: { $0 == 10 })
        #expect(seen == firstBlock)
    }

    @Test("A mapped trace's pages are let go as its blocks are done: its mapping stays a few blocks' worth resident")
    func mappedPagesReleased() throws {
        let line = "  kworker/0:1-17 [000] ..... 1.0: sched_waking: comm=a pid=1 prio=120 target_cpu=000\n"
        let blocks = 48
        let path = temporaryFile(String(repeating: line, count: blocks * LineSource.blockSize / line.utf8.count))
        defer { unlink(path) }
        let source = try LineSource(path: path)
        var r = Replayed(path, check: false)
        try r.replayer.replayAll(from: source, strict: false, on: &r.machine) { _, _, _ in }
        #expect(r.summary.events["sched_waking"] == blocks * LineSource.blockSize / line.utf8.count)
        // The source still maps the whole file; only the blocks in flight may be resident, and
        // those waiting to be let go: up to three in the queue and three the reading thread took
        // from it and is letting go (it may not have got to them when the replay returns), and
        // the pages where blocks meet.
        let resident = try #require(Self.residentBytes(ofMapping: path), "the trace is mapped")
        let bound = (TraceReading.blocks + 2 * BlockReader.pendingReleases + 1) * LineSource.blockSize
        #expect(resident <= bound, "\(resident >> 20) MiB of \(blocks) resident")
        withExtendedLifetime(source) {}
    }

    /// The resident bytes of this process's mapping of `path` (`Rss:` in /proc/self/smaps).
    static func residentBytes(ofMapping path: String) -> Int? {
        guard let f = fopen("/proc/self/smaps", "r") else { return nil }
        defer { fclose(f) }
        var line: UnsafeMutablePointer<CChar>?, capacity = 0, inMapping = false
        defer { free(line) }
        while getline(&line, &capacity, f) > 0, let text = line.map({ String(cString: $0) }) {
            if text.hasSuffix(" \(path)\n") { inMapping = true; continue }
            if inMapping, text.hasPrefix("Rss:") {
                return text.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 * 1024 }
            }
        }
        return nil
    }

    @Test("Binary data in a later block stops the pipelined replay at its line")
    func binaryLater() throws {
        let line = "  kworker/0:1-17 [000] ..... 1.0: kfree: call_site=x ptr=ff00\n"
        let count = 3 * LineSource.blockSize / line.utf8.count
        let path = temporaryFile(String(repeating: line, count: count) + "\u{0}\u{1}\u{2}\n" + line)
        let (_, error, seen) = try pipelined(path, strict: false)
        #expect(error?.line == count + 1)
        #expect(error?.message.contains("NUL") == true)
        #expect(seen == count)
    }

    @Test("Blocks of lines shorter than their decoded records grow in place and keep every line and its number")
    func blocksOfShortLines() throws {
        // Two-byte lines: half a million a block, eight times the records reserved for one (a
        // block's worth of 16-byte lines), in two blocks; then an event, a line that is not
        // ftrace text, and one more event.
        let short = LineSource.blockSize / 2 + 12_345
        let event = "  kworker/0:1-17 [000] ..... 1.0: kfree: call_site=x ptr=ff00\n"
        let path = temporaryFile(String(repeating: "#\n", count: short) + event + "not a trace line\n" + event)
        let (r, error, seen) = try pipelined(path, strict: false)
        #expect(seen == short + 1)
        #expect(error?.line == short + 2)
        #expect(error?.message.contains("expected an ftrace line") == true)
        #expect(r.summary.events["kfree"] == 1)
    }
}

@Suite("Reading a trace ahead for a seek")
struct FastForwardTests {
    @Test("fastForward applies the lines stepping would, stops at the end, and leaves the file at the next line")
    func fastForwardMatchesStepping() throws {
        var text = ""
        for i in 0..<30_000 {
            let ptr = String(0xffff_8880_1000_0000 + UInt64(i % 500) * 64, radix: 16)
            text += i % 2 == 0
                ? "  sh-1 [000] ..... 1.0: kmalloc: call_site=t+0x1/0x2 ptr=\(ptr) bytes_req=40 bytes_alloc=64 gfp_flags=GFP_KERNEL\n"
                : "  sh-1 [000] ..... 1.0: kfree: call_site=t+0x3/0x4 ptr=\(ptr)\n"
        }
        let path = temporaryFile(text)
        func stepped(_ n: Int) throws -> Machine {
            let run = try TraceRun(path: path)
            var m = TestMachines.kernel(ram: 256 << 20)
            for _ in 0..<n { _ = run.step(&m) }
            return m
        }
        let run = try TraceRun(path: path)
        var m = TestMachines.kernel(ram: 256 << 20)
        _ = run.step(&m)
        #expect(run.canFastForward)
        var seen = 0
        #expect(run.fastForward(20_000, machine: &m) { _, k in seen = k } == 20_000)
        #expect(seen == 20_000)
        #expect(m == (try stepped(20_001)))
        // Stepping on reads the next line, not one the reader had read ahead.
        for _ in 0..<10 { _ = run.step(&m) }
        #expect(m == (try stepped(20_011)))
        // Past the end: only the lines there are, and then the end.
        #expect(run.fastForward(50_000, machine: &m) { _, _ in } == 30_000 - 20_011)
        #expect(!run.step(&m))
        #expect(run.error == nil)
        #expect(m == (try stepped(30_000)))
    }
}
