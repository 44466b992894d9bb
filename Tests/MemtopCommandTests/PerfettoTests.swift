import BuiltInWorkloads
import Foundation
import MemtopCommand
import Testing

/// A `--perfetto` file read back: its events, in order.
struct PerfettoFile {
    let events: [[String: Any]]

    /// Reads and parses `path`, checking the document's shape on the way.
    init(_ path: String) throws {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any], "the document is an object")
        events = try #require(root["traceEvents"] as? [[String: Any]], "with a traceEvents array")
        #expect(root["displayTimeUnit"] as? String == "ms")
    }

    /// The `ts` of every event.
    var times: [Double] { events.compactMap { ($0["ts"] as? NSNumber)?.doubleValue } }

    /// Counter events of the track `name`, in order.
    func counters(_ name: String) -> [[String: Any]] { events.filter { $0["ph"] as? String == "C" && $0["name"] as? String == name } }

    /// The args of the last sample of `name`, as integers.
    func last(_ name: String) -> [String: Int]? {
        (counters(name).last?["args"] as? [String: Any])?.compactMapValues { ($0 as? NSNumber)?.intValue }
    }

    /// Instant events.
    var instants: [[String: Any]] { events.filter { $0["ph"] as? String == "i" } }

    /// Every event has a phase, a time and a process; times never go back.
    func checkStructure() {
        #expect(!events.isEmpty)
        for e in events {
            #expect(e["ph"] is String && e["ts"] is NSNumber && e["pid"] is NSNumber, "\(e)")
        }
        let t = times
        #expect(t.count == events.count)
        #expect(zip(t, t.dropFirst()).allSatisfy { $0 <= $1 }, "ts sorted")
        for e in instants { #expect(e["s"] as? String == "g") }
    }
}

@Suite("--perfetto writes the run's timeline as Chrome trace-event JSON")
struct PerfettoTests {
    static func path(_ name: String) -> String { "/tmp/memtop-perfetto-\(getpid())-\(name).json" }

    func run(_ arguments: [String]) throws -> String {
        let run = try #require(try Memtop.parseAsRoot(arguments) as? Memtop.Run)
        let workload = try #require(Workload.named(run.workload))
        return try HeadlessRun.play(workload: workload, machine: run.machine, output: run.output)
    }

    @Test("Zone free pages per order and the top caches' objects and pages end as buddyinfo and slabinfo do")
    func valuesAgreeWithMachine() throws {
        let path = Self.path("churn")
        defer { unlink(path) }
        let dumps = try run(["run", "slab-churn", "--ram", "256M", "--perfetto", path, "--dump", "buddyinfo,slabinfo"])
        let file = try PerfettoFile(path)
        file.checkStructure()
        for line in dumps.split(separator: "\n") where line.hasPrefix("Node 0, zone ") {
            let fields = line.split(separator: " ")
            let zone = String(fields[3])
            let nrFree = fields.suffix(11).compactMap { Int($0) }
            let sample = try #require(file.last("\(zone) free pages"), "a free-pages track for \(zone)")
            for order in 0..<11 { #expect(sample["order \(order)"] == nrFree[order] << order, "\(zone) order \(order)") }
            #expect(sample.values.reduce(0, +) == nrFree.enumerated().reduce(0) { $0 + ($1.element << $1.offset) })
            #expect(file.last("\(zone) per-CPU pages")?["pages"] != nil)
        }
        let slabinfo = dumps.split(separator: "\n").filter { !$0.hasPrefix("Node") && !$0.hasPrefix("#") && !$0.hasPrefix("slabinfo") && !$0.hasPrefix("==>") }
        var checked = 0
        for line in slabinfo {
            let f = line.split(separator: " ", omittingEmptySubsequences: true)
            guard f.count > 14, let active = Int(f[1]), let pagesPerSlab = Int(f[5]), let slabs = Int(f[14]) else { continue }
            guard let sample = file.last("slab \(f[0])") else { continue }
            #expect(sample["objects"] == active && sample["pages"] == slabs * pagesPerSlab, "\(line)")
            checked += 1
        }
        #expect(checked >= 3, "the busiest caches have named tracks")
        #expect(file.last("vmalloc")?["pages"] != nil && file.last("large kmalloc")?["pages"] != nil)
    }

    @Test("Samples are bounded: a track is written at most once per 64 events, and only when it changed")
    func bounded() throws {
        let path = Self.path("bounded")
        defer { unlink(path) }
        let summary = try run(["run", "buddy-fragmentation", "--ram", "128M", "--perfetto", path, "--summary", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any])
        let events = try #require((json["events"] as? NSNumber)?.intValue)
        let file = try PerfettoFile(path)
        let samples = file.counters("DMA32 free pages")
        #expect(samples.count > 10)
        #expect(samples.count <= events / 64 + file.instants.count + 2, "\(samples.count) samples of \(events) events")
        for (a, b) in zip(samples, samples.dropFirst()) {
            #expect(!NSDictionary(dictionary: a["args"] as? [String: Any] ?? [:]).isEqual(to: b["args"] as? [String: Any] ?? [:]))
        }
    }

    @Test("run misuse marks each violation with an instant event carrying the report")
    func violations() throws {
        let path = Self.path("misuse")
        defer { unlink(path) }
        let summary = try run(["run", "misuse", "--perfetto", path, "--summary", "json"])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any])
        let reported = try #require(json["violations"] as? [[String: Any]])
        let file = try PerfettoFile(path)
        file.checkStructure()
        let marks = file.instants.filter { ($0["name"] as? String)?.hasPrefix("violation: ") ?? false }
        #expect(!reported.isEmpty && marks.count == reported.count)
        #expect(marks.contains { $0["name"] as? String == "violation: double-free" })
        let reports = marks.compactMap { ($0["args"] as? [String: Any])?["report"] as? String }
        #expect(reports == reported.compactMap { $0["report"] as? String }, "each mark carries its report, in order")
    }

    @Test("demo buddy marks its narration, questions with their answers")
    func narration() throws {
        let path = Self.path("lesson")
        defer { unlink(path) }
        #expect(Memtop.main(arguments: ["demo", "buddy", "--perfetto", path]) == 0)
        let file = try PerfettoFile(path)
        file.checkStructure()
        let kinds = file.instants.compactMap { ($0["args"] as? [String: Any])?["kind"] as? String }
        #expect(kinds.contains("say") && kinds.contains("ask"))
        let ask = try #require(file.instants.first { ($0["args"] as? [String: Any])?["kind"] as? String == "ask" })
        #expect((ask["name"] as? String)?.hasPrefix("? ") == true && (ask["args"] as? [String: Any])?["answer"] is String)
        #expect(file.last("DMA32 free pages") != nil)
    }

    @Test("An ftrace replay is on the trace's clock in µs, with its lost events marked")
    func traceTimestamps() throws {
        let trace = "/tmp/memtop-perfetto-\(getpid())-trace.txt"
        let path = Self.path("ftrace")
        defer { unlink(trace); unlink(path) }
        let line = { (t: String, p: Int) in
            "  sh-1 [000] ..... \(t): kmalloc: call_site=a+0x1/0x2 ptr=ffff8880010\(p)000 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL node=-1 accounted=false\n"
        }
        let text = "# tracer: nop\n#\n" + line("12.000001", 1) + line("12.000250", 2) + "CPU:1 [LOST 7 EVENTS]\n" + line("13.500000", 3)
        try text.write(toFile: trace, atomically: true, encoding: .utf8)
        #expect(Memtop.main(arguments: ["replay", trace, "--kernel", "6.1", "--perfetto", path]) == 0)
        let file = try PerfettoFile(path)
        file.checkStructure()
        let counterTimes = Set(file.events.filter { $0["ph"] as? String == "C" }.compactMap { ($0["ts"] as? NSNumber)?.doubleValue })
        #expect(counterTimes.isSubset(of: [12_000_001, 12_000_250, 13_500_000]) && counterTimes.contains(13_500_000), "\(counterTimes)")
        let lost = try #require(file.instants.first { $0["name"] as? String == "lost events" })
        #expect((lost["args"] as? [String: Any])?["events"] as? Int == 7)
        #expect((lost["ts"] as? NSNumber)?.doubleValue == 12_000_250)
    }

    @Test("The shared real capture replays to a timeline on its own clock with its caches named")
    func realCapture() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().path
        let trace = root + "/shared/traces/real/qemu-6.1.0-56-amd64-boot.trace.txt.xz"
        guard FileManager.default.fileExists(atPath: trace) else { return }
        let path = Self.path("real")
        defer { unlink(path) }
        #expect(Memtop.main(arguments: ["replay", trace, "--kernel", "6.1", "--perfetto", path]) == 0)
        let file = try PerfettoFile(path)
        file.checkStructure()
        let names = Set(file.events.compactMap { $0["name"] as? String })
        #expect(names.isSuperset(of: ["DMA32 free pages", "DMA32 per-CPU pages", "slab kmalloc-64", "vmalloc", "large kmalloc"]))
        // The capture's clock: seconds since boot, in µs (the first kmem line is past 0.3 s).
        let first = try #require(file.events.first { $0["ph"] as? String == "C" }?["ts"] as? NSNumber)
        #expect(first.doubleValue > 300_000 && file.times.last! < 100_000_000)
    }

    @Test("--perfetto implies headless, refuses the input trace and fails on a full disk")
    func options() throws {
        let run = try #require(try Memtop.parseAsRoot(["run", "idle", "--perfetto", "/tmp/x.json"]) as? Memtop.Run)
        #expect(!run.output.wantsViewer)
        #expect(Memtop.main(arguments: ["run", "slab-churn", "--perfetto", "/dev/full"]) == 1)
        let trace = "/tmp/memtop-perfetto-\(getpid())-input.txt"
        try "# tracer: nop\n".write(toFile: trace, atomically: true, encoding: .utf8)
        defer { unlink(trace) }
        #expect(throws: (any Error).self) { try Memtop.parseAsRoot(["replay", trace, "--perfetto", trace]) }
        #expect((try? String(contentsOfFile: trace, encoding: .utf8)) == "# tracer: nop\n", "the trace is untouched")
    }
}
