import CZlib
import HeapModel
import MemtopCommand
import MemtopTestSupport
import Testing
@testable import Traces

#if canImport(Glibc)
import Glibc
#endif

/// Every line `source` gives.
func allLines(_ source: LineSource) throws -> [String] {
    var out: [String] = []
    try source.forEachLine { out.append(String(decoding: $0, as: UTF8.self)); return true }
    return out
}

/// A gzip file of `bytes` (zlib's gz* writer).
func gzipped(_ bytes: [UInt8]) -> String {
    let path = temporaryDat([], suffix: ".dat.gz")
    let gz = gzopen(path, "wb")
    _ = bytes.withUnsafeBytes { gzwrite(gz, $0.baseAddress, UInt32($0.count)) }
    gzclose(gz)
    return path
}

extension DatFixture {
    /// Enough events on one CPU for more text than the pipe and a block hold (about 4 MiB).
    static var large: DatFixture {
        let page = Page(timestamp: 1_000_000_000, items: (0..<60).map { i in
            .event(delta: 1000, record: kmalloc(site: 0xffff_ffff_8100_1010, ptr: 0xffff_8880_0000_0000 + UInt64(i) * 64, req: 64, alloc: 64,
                                               gfp: 0xcc0, node: -1))
        })
        return DatFixture(cpus: [[Page]](repeating: [Page](repeating: page, count: 400), count: 1))
    }
}

@Suite("TraceDat through LineSource: told by its magic, read through a pipe, errors at the end")
struct TraceDatSourceTests {
    @Test("A trace.dat is told by its magic, whatever its name, and read as the reader's text")
    func byMagic() throws {
        let bytes = DatFixture.basic.version7(.zstd)
        let path = temporaryDat(bytes, suffix: ".txt")
        defer { unlink(path) }
        let source = try LineSource(path: path)
        #expect(!source.isSeekable)
        let got = try allLines(source)
        #expect(Array(got.dropFirst(12)) == DatFixture.basicText)
        #expect(source.lineNumber == 12 + DatFixture.basicText.count)
    }

    @Test("Inside .gz: read through a decompressed copy, and the copy is unlinked once mapped")
    func insideGzip() throws {
        let path = TracesTests.gzipped(DatFixture.basic.version6())
        defer { unlink(path) }
        #expect(Array(try allLines(LineSource(path: path)).dropFirst(12)) == DatFixture.basicText)
        // The copy's life, without the process-wide TMPDIR (other tests decompress at the same time).
        let bytes = DatFixture.basic.version7(.zstd)
        let plain = temporaryDat(bytes)
        defer { unlink(plain) }
        let fd = open(plain, O_RDONLY)
        defer { close(fd) }
        let copy = try bytes.prefix(4).withUnsafeBytes { prefix in
            lseek(fd, 4, SEEK_SET)
            return try TraceDatSpool(name: "x.dat.gz", prefix: prefix, rest: fd)
        }
        #expect(access(copy.path, F_OK) == 0)
        let producer = try TraceDatPipe(path: copy.path, name: "x.dat.gz", temporary: true)
        #expect(access(copy.path, F_OK) != 0)
        producer.stop()
        close(producer.readDescriptor)
    }

    @Test("A reader that stops early does not hang the producer (more text than the pipe holds)")
    func stopEarly() throws {
        let path = temporaryDat(DatFixture.large.version6())
        defer { unlink(path) }
        for wanted in [1, 13, 20_000] {
            let source = try LineSource(path: path)
            var seen = 0
            try source.forEachLine { _ in seen += 1; return seen < wanted }
            #expect(seen == wanted)
        }
        let all = try allLines(LineSource(path: path))
        #expect(all.count == 12 + 400 * 60)
    }

    @Test("A bad magic is not a trace.dat: the bytes are read as text")
    func badMagic() throws {
        let path = temporaryFile("\u{17}\u{08}Dtracinh7\n# a comment\n")
        defer { unlink(path) }
        let source = try LineSource(path: path)
        #expect(source.isSeekable)
        #expect(try allLines(source) == ["\u{17}\u{08}Dtracinh7", "# a comment"])
        let empty = temporaryFile("")
        defer { unlink(empty) }
        #expect(try allLines(LineSource(path: empty)).isEmpty)
    }

    @Test("A cut-short trace.dat fails replay with the file named and exit status 1")
    func truncatedReplay() throws {
        let bytes = DatFixture.basic.version6()
        let path = temporaryDat(Array(bytes.prefix(bytes.count - 100)))
        defer { unlink(path) }
        let error = #expect(throws: TraceInputError.self) { _ = try LineSource(path: path) }
        #expect(error?.file == path)
        #expect(error?.message.contains("truncated") == true, "\(String(describing: error))")
        #expect(replayError([path, "--kernel", "6.1"])?.hasPrefix(path + ": expected ") == true)
        #expect(Memtop.main(arguments: ["replay", path, "--kernel", "6.1"]) == 1)
    }

    @Test("A trace.dat replays like its text: the same summary and machine")
    func replaysLikeText() throws {
        let dat = temporaryDat(DatFixture.basic.version7(.zlib))
        let text = temporaryFile(String(decoding: try TraceDatReader(path: dat).textBytes(), as: UTF8.self))
        defer { unlink(dat); unlink(text) }
        func replay(_ path: String) throws -> (FtraceReplayer, Machine) {
            var machine = TestMachines.kernel(kernel: .v6_1)
            var replayer = FtraceReplayer(file: path, kernel: .v6_1, check: false)
            try replayer.replayAll(from: LineSource(path: path), strict: true, on: &machine) { _, _, _ in }
            return (replayer, machine)
        }
        let (a, ma) = try replay(dat), (b, mb) = try replay(text)
        #expect(a.summary.events == b.summary.events)
        #expect(a.summary.lostEvents == 4 && b.summary.lostEvents == 4)
        #expect(a.summary.unknownEvents == ["sched_other": 1])
        #expect(ma.slabinfo() == mb.slabinfo() && ma.buddyinfo() == mb.buddyinfo() && ma.vmallocinfo() == mb.vmallocinfo())
    }

    @Test("The viewer's TraceRun steps through a trace.dat; it cannot seek, so it neither fast-forwards nor keeps positions")
    func traceRun() throws {
        let path = temporaryDat(DatFixture.basic.version7(.zstd))
        defer { unlink(path) }
        let run = try TraceRun(path: path)
        var machine = TestMachines.kernel(kernel: .v6_1)
        var steps = 0
        while run.step(&machine) {
            steps += 1
            #expect(!run.canFastForward && run.position() == nil)
        }
        #expect(run.error == nil)
        #expect(steps == 12 + DatFixture.basicText.count)
        #expect(try TraceRun.countLines(path) { _ in } == steps)
    }
}

extension TraceDatReader {
    /// The whole text.
    func textBytes() throws -> [UInt8] {
        var out: [UInt8] = []
        try text { out += $0; return true }
        return out
    }
}
