import HeapModel
import MemtopCommand
import MemtopTestSupport
import Testing
import Traces

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

/// A line's fields, with `page=` left out: the kernel prints the `struct page` address, which the
/// trace.dat does not store (it stores the pfn; `vmemmap_base` is randomised).
func withoutPage(_ line: Substring) -> String {
    guard let r = line.firstRange(of: "page=") else { return String(line) }
    let rest = line[r.upperBound...].drop { $0 != " " }
    return String(line[..<r.lowerBound]) + "page=*" + rest
}

@Suite("TraceDat on the shared 6.1 captures", .serialized)
struct TraceDatCaptureTests {
    @Test("6.1-vmalloc: the trace.dat.xz prints the kernel's own trace text, line for line (page= aside)")
    func vmallocText() throws {
        guard let dat = sharedTrace("bundles/6.1-vmalloc/trace.dat.xz"), let txt = sharedTrace("bundles/6.1-vmalloc/trace.txt.xz") else { return }
        let a = try LineSource(path: dat), b = try LineSource(path: txt)
        var line = 0, differences: [Int] = []
        // The 12 header lines differ (the kernel's counts entries; the trace.dat does not store them).
        while let x = try a.nextLine() {
            let y = try b.nextLine()
            line += 1
            if line > 12 && withoutPage(x) != y.map(withoutPage) { differences.append(line) }
        }
        #expect(try b.nextLine() == nil)
        #expect(line == 718_362)
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
        var texts: [[String]] = []
        for path in [v7, v6] {
            let lines = try allLines(LineSource(path: path))
            var byName: [String: Int] = [:], byCPU = [0, 0]
            for l in lines.dropFirst(12) {
                guard let open = l.firstIndex(of: "["), let colon = l[l.index(open, offsetBy: 20)...].firstRange(of: ": ") else { continue }
                let name = l[colon.upperBound...].prefix { $0 != ":" }
                byName[String(name), default: 0] += 1
                byCPU[l[l.index(after: open)...].hasPrefix("000") ? 0 : 1] += 1
            }
            #expect(byName == expected, "\(path)")
            #expect(byCPU == entries, "\(path)")
            texts.append(Array(lines.dropFirst(12)))
        }
        #expect(texts[0] == texts[1])
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
            #expect(x == y, "event \(n):\n\(a)\n\(b)")
            if x != y { return }
        }
    }

    @Test("A cut-short copy of a real trace.dat is an error naming the file, and replay exits 1")
    func truncatedReal() throws {
        guard let short = sharedTrace("formats/6.1-mix/trace-v6-native-short.dat.xz") else { return }
        guard let pipe = popen("xz -dc '\(short)'", "r") else { Issue.record("no xz"); return }
        var bytes: [UInt8] = [], block = [UInt8](repeating: 0, count: 1 << 16)
        while case let n = fread(&block, 1, block.count, pipe), n > 0 { bytes += block[0..<n] }
        pclose(pipe)
        for cut in [bytes.count / 2, bytes.count - 4096, 5000] {
            let path = temporaryDat(Array(bytes.prefix(cut)))
            defer { unlink(path) }
            let error = #expect(throws: TraceInputError.self) { _ = try LineSource(path: path) }
            #expect(error?.file == path && error?.message.contains("truncated") == true, "\(String(describing: error))")
            #expect(Memtop.main(arguments: ["replay", path, "--kernel", "6.1", "--dump", "buddyinfo"]) == 1)
        }
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
