import HeapModel
import MemtopCommand
import MemtopTestSupport
import Testing
@testable import Traces

#if canImport(Glibc)
import Glibc
#endif

/// `shared/traces/<relative>` beside the repository (found from this file's path, as
/// `RealCapture` finds the real capture), or nil, with an issue recorded, when it is missing.
func sharedTrace(_ relative: String, from source: String = #filePath) -> String? {
    var dir = source
    for _ in 0..<3 { dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)]) }
    let root = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)])
    let path = root + "/shared/traces/" + relative
    guard access(path, R_OK) == 0 else {
        Issue.record("\(path) is missing: shared/ must sit beside the repository")
        return nil
    }
    return path
}

/// Replays `path` as `memtop replay --kernel 6.1` does (pipelined), on a 1 GiB, 2-CPU machine.
func replayed(_ path: String) throws -> (summary: ReplaySummary, machine: Machine) {
    var machine = TestMachines.kernel(ram: 1 << 30, cpus: 2, kernel: .v6_1)
    machine.setRecording(false)
    var replayer = FtraceReplayer(file: path, kernel: .v6_1, check: false)
    try replayer.replayAll(from: LineSource(path: path), strict: false, on: &machine) { _, _, _ in }
    return (replayer.summary, machine)
}

/// The dumps the brief compares: buddyinfo, slabinfo, vmallocinfo.
func dumps(_ m: Machine) -> [String] { [m.buddyinfo(), m.slabinfo(), m.vmallocinfo()] }

/// Whether two lines are the same but for the hex of `page=`: the kernel prints the `struct page`
/// address, which the trace.dat does not store (it stores the pfn; `vmemmap_base` is randomised).
func sameButPage(_ a: [UInt8], _ b: UnsafeBufferPointer<UInt8>) -> Bool {
    a.withUnsafeBufferPointer { a in
        guard let pa = a.baseAddress, let pb = b.baseAddress else { return a.count == b.count }
        // Where "page=" starts in `a` (C calls, so that the debug build stays quick).
        var at: Int?, from = 0
        while at == nil, from < a.count, let hit = memchr(pa + from, 112, a.count - from) {   // 'p'
            let i = UnsafeRawPointer(pa).distance(to: UnsafeRawPointer(hit))
            if i + 5 <= a.count && memcmp(hit, "page=", 5) == 0 { at = i + 5 }
            from = i + 1
        }
        guard let value = at else { return a.count == b.count && memcmp(pa, pb, a.count) == 0 }
        guard b.count >= value, memcmp(pa, pb, value) == 0 else { return false }
        let endA = memchr(pa + value, 32, a.count - value).map { UnsafeRawPointer(pa).distance(to: UnsafeRawPointer($0)) } ?? a.count
        let endB = memchr(pb + value, 32, b.count - value).map { UnsafeRawPointer(pb).distance(to: UnsafeRawPointer($0)) } ?? b.count
        return a.count - endA == b.count - endB && memcmp(pa + endA, pb + endB, a.count - endA) == 0
    }
}

/// Calls `body` with the lines of two sources side by side (the second nil once it has ended first).
func lockstep(_ a: LineSource, _ b: LineSource, _ body: (_ line: Int, [UInt8], UnsafeBufferPointer<UInt8>?) -> Void) throws {
    var line = 0, held: [UInt8] = []
    while try a.withNextLine({ held.removeAll(keepingCapacity: true); held.append(contentsOf: $0) }) {
        line += 1
        if try !b.withNextLine({ body(line, held, $0) }) { body(line, held, nil) }
    }
}

@Suite("TraceDat on the shared 6.1 captures", .serialized)
struct TraceDatCaptureTests {
    @Test("6.1-vmalloc: the trace.dat.xz prints the kernel's own trace text, line for line (page= aside)")
    func vmallocText() throws {
        guard let dat = sharedTrace("bundles/6.1-vmalloc/trace.dat.xz"), let txt = sharedTrace("bundles/6.1-vmalloc/trace.txt.xz") else { return }
        let a = try LineSource(path: dat), b = try LineSource(path: txt)
        var lines = 0, differences: [Int] = []
        // The 12 header lines differ (the kernel's counts entries; the trace.dat does not store them).
        try lockstep(a, b) { line, x, y in
            lines = line
            if line > 12 && !(y.map { sameButPage(x, $0) } ?? false) { differences.append(line) }
        }
        #expect(try b.nextLine() == nil)
        #expect(lines == 718_362)
        #expect(differences.isEmpty, "first different lines: \(differences.prefix(5))")
    }

    @Test("6.1-vmalloc: the trace.dat.xz replays to the text's end state (buddyinfo, slabinfo, vmallocinfo)")
    func vmallocReplay() throws {
        guard let dat = sharedTrace("bundles/6.1-vmalloc/trace.dat.xz"), let txt = sharedTrace("bundles/6.1-vmalloc/trace.txt.xz") else { return }
        let fromDat = try replayed(dat), fromText = try replayed(txt)
        #expect(fromDat.summary.events == fromText.summary.events)
        #expect(fromDat.summary.applied == fromText.summary.applied)
        #expect(fromDat.summary.malformed.isEmpty && fromText.summary.malformed.isEmpty)
        #expect(dumps(fromDat.machine) == dumps(fromText.machine))
    }

    @Test("6.1-mix v7 (zstd) and v6: trace-cmd's event counts per name and per CPU; the same text and end state")
    func mixCounts() throws {
        guard let v7 = sharedTrace("formats/6.1-mix/trace-v7.dat.xz"), let v6 = sharedTrace("formats/6.1-mix/trace-v6.dat.xz"),
              let counts = sharedTrace("formats/6.1-mix/counts.txt"), let stat = sharedTrace("formats/6.1-mix/trace-cmd-report-stat.txt"),
              let countsText = Golden.readFile(counts), let statText = Golden.readFile(stat) else { return }
        // counts.txt: event, then perf-plain, perf-g, perf-kmem, trace-v7.dat, trace-v6.dat columns.
        var expected: [String: Int] = [:]
        for row in countsText.split(separator: "\n").prefix(while: { !$0.hasPrefix("total") }) {
            let c = row.split(separator: "\t")
            if c.count >= 6, let n = Int(c[4]), Int(c[5]) == n { expected[String(c[0])] = n }
        }
        #expect(expected.count == 7)
        // trace-cmd report --stat: the entries of each CPU (the same for all three files).
        let entries = statText.split(separator: "\n").filter { $0.hasPrefix("entries: ") }.prefix(2).compactMap { Int($0.dropFirst(9)) }
        #expect(entries == [113_515, 101_237])
        var byName: [String: Int] = [:], byCPU = [0, 0], differences = 0
        try lockstep(LineSource(path: v7), LineSource(path: v6)) { line, x, y in
            guard line > 12 else { return }
            if y.map({ $0.count != x.count || !$0.elementsEqual(x) }) ?? true { differences += 1 }
            // `... [00C] FLAGS TIME: NAME: fields`: the CPU in brackets, the name after the time.
            guard let open = x.firstIndex(of: 91), let colon = x[(open + 20)...].firstIndex(of: 58) else { return }
            byCPU[x[open + 3] == 48 ? 0 : 1] += 1
            byName[String(decoding: x[(colon + 2)...].prefix { $0 != 58 }, as: UTF8.self), default: 0] += 1
        }
        #expect(byName == expected)
        #expect(byCPU == entries)
        #expect(differences == 0, "v6 and v7 print different lines")
        #expect(try dumps(replayed(v7).machine) == dumps(replayed(v6).machine))
    }

    @Test("6.1-mix v7: the first 5000 events agree with trace-cmd report wherever the two formats print the same thing")
    func mixAgainstReport() throws {
        guard let v7 = sharedTrace("formats/6.1-mix/trace-v7.dat.xz"), let report = sharedTrace("formats/6.1-mix/trace-cmd-report.txt.xz") else { return }
        let ours = try LineSource(path: v7), theirs = try LineSource(path: report)
        for _ in 0..<12 { _ = try ours.nextLine() }
        _ = try theirs.nextLine()   // cpus=2
        for n in 1...5000 {
            guard let a = try ours.nextLine(), let b = try theirs.nextLine() else { Issue.record("ended at \(n)"); return }
            let x = ReportFields(ours: a), y = ReportFields(report: b)
            #expect(x == y && x.fields.count >= 2, "event \(n):\n\(a)\n\(b)")
            if x != y { return }
        }
    }

    @Test("The print formats of the shared 6.1 and 6.12 kernels' events compile, none falls back to fields",
          arguments: ["bundles/6.1-vmalloc", "bundles/6.12-build"])
    func kernelFormatsCompile(_ bundle: String) throws {
        guard let path = sharedTrace(bundle + "/enabled_event_formats.txt"), let text = Golden.readFile(path) else { return }
        let blocks = text.split(separator: "== ").map { $0.drop { $0 != "\n" }.dropFirst() }.filter { !$0.isEmpty }
        #expect(blocks.count >= 16)
        for block in blocks {
            let format = try EventFormat(parsing: String(block), system: "test")
            let program = EventProgram(format, kernelPrintFormat: true)
            #expect(program.fallbackReason == nil, "\(format.name): \(program.fallbackReason ?? "")")
        }
    }

    /// The bytes of the `.xz` file at `path`, through `xz -dc`.
    static func decompressed(_ path: String) -> [UInt8]? {
        guard let pipe = popen("xz -dc '\(path)'", "r") else { return nil }
        var bytes: [UInt8] = [], block = [UInt8](repeating: 0, count: 1 << 16)
        while case let n = fread(&block, 1, block.count, pipe), n > 0 { bytes += block[0..<n] }
        pclose(pipe)
        return bytes
    }

    @Test("A cut-short copy of a real trace.dat is an error naming the file, and replay exits 1")
    func truncatedReal() throws {
        guard let short = sharedTrace("formats/6.1-mix/trace-v6-native-short.dat.xz") else { return }
        guard let bytes = Self.decompressed(short) else { Issue.record("no xz"); return }
        for cut in [bytes.count / 2, bytes.count - 4096, 5000] {
            let path = temporaryDat(Array(bytes.prefix(cut)))
            defer { unlink(path) }
            let error = #expect(throws: TraceInputError.self) { _ = try LineSource(path: path) }
            #expect(error?.file == path && error?.message.contains("truncated") == true, "\(String(describing: error))")
            #expect(Memtop.main(arguments: ["replay", path, "--kernel", "6.1", "--dump", "buddyinfo"]) == 1)
        }
    }

    @Test("A corrupt zstd chunk inside a real version 7 trace.dat is an error naming the file and the chunk; replay exits 1")
    func corruptZstd() throws {
        guard let v7 = sharedTrace("formats/6.1-mix/trace-v7.dat.xz") else { return }
        guard var bytes = Self.decompressed(v7) else { Issue.record("no xz"); return }
        // The middle of the file is CPU data, all of it zstd chunks (the section table is at the start).
        for k in (bytes.count / 2)..<(bytes.count / 2 + 200) { bytes[k] ^= 0x5a }
        let path = temporaryDat(bytes)
        defer { unlink(path) }
        let reader = try TraceDatReader(path: path)
        var lines = 0
        let error = #expect(throws: TraceInputError.self) {
            try reader.text { block throws(TraceInputError) in
                lines += block.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
                return true
            }
        }
        #expect(error?.file == path && error?.message.contains("zstd") == true && error?.message.contains("decompress") == true,
                "\(String(describing: error))")
        #expect(lines > 1000, "the lines before the bad chunk come first")
        #expect(Memtop.main(arguments: ["replay", path, "--kernel", "6.1", "--dump", "buddyinfo"]) == 1)
    }
}

/// What the kernel's text and `trace-cmd report` print alike: task, pid, CPU, time, event, and the
/// fields, with the report's differences undone (`(func+off)` before `call_site=`, `0x` on
/// pointers, `(nil)`, no `/size` after a call site, `page=` computed without the kernel's base).
struct ReportFields: Equatable {
    var context: [Substring] = []
    var fields: [Substring: Substring] = [:]

    init(ours line: Substring) {
        let words = line.split(separator: " ")
        guard words.count > 4 else { return }
        context = [words[0], words[1], words[3], words[4]]   // comm-pid, [cpu], time, event (not the flags)
        for w in words.dropFirst(5) {
            guard let eq = w.firstIndex(of: "=") else { continue }
            let key = w[..<eq]
            var value = w[w.index(after: eq)...]
            if key == "call_site", let slash = value.lastIndex(of: "/") { value = value[..<slash] }
            if key == "ptr" { value = value.allSatisfy { $0 == "0" } ? "(nil)" : Substring("0x" + value) }
            if key != "page" { fields[key] = value }
        }
    }

    init(report line: Substring) {
        let words = line.split(separator: " ")
        guard words.count > 3 else { return }
        context = [words[0], words[1], words[2], words[3]]
        for w in words.dropFirst(4) {
            guard let eq = w.firstIndex(of: "=") else { continue }
            let key = w[..<eq]
            if key != "page" { fields[key] = w[w.index(after: eq)...] }
        }
    }
}
