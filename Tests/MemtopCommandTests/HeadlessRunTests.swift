import BuiltInWorkloads
import HeapModel
import MemtopCommand
import MemtopTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Headless runs")
struct HeadlessRunTests {
    func run(_ arguments: [String]) throws -> String {
        let command = try Memtop.parseAsRoot(arguments)
        let run = try #require(command as? Memtop.Run)
        let workload = try #require(Workload.named(run.workload))
        return try HeadlessRun.play(workload: workload, machine: run.machine, output: run.output)
    }

    @Test("run idle prints the files of a freshly booted 1 GiB machine, byte for byte", arguments: KernelVersion.allCases)
    func idleDumps(kernel: KernelVersion) throws {
        let text = try run(["run", "idle", "--headless", "--dump", "buddyinfo,pagetypeinfo,extfrag_index,unusable_index",
                            "--ram", "1G", "--cpus", "2", "--kernel", kernel.rawValue])
        try Golden.check(text, named: "idle-1G-\(kernel.rawValue).txt")
    }

    @Test("A replay placing objects where the trace says records their events, as memtop's own allocators do")
    func placedObjectEvents() throws {
        let real = try #require(RealCapture.path("trace.txt.xz"))
        // alloc_inode's objects are kmem_cache_alloc lines: each one is one allocation, placed or not.
        func allocations(_ extra: [String]) throws -> Int {
            let events = "/tmp/memtop-placed-events-\(getpid()).jsonl"
            defer { unlink(events) }
            #expect(Memtop.main(arguments: ["replay", real, "--headless", "--events-out", events] + extra) == 0)
            return try String(contentsOfFile: events, encoding: .utf8).split(separator: "\n")
                .filter { $0.contains("\"kind\":\"kmem_cache_alloc\"") && $0.contains("alloc_inode+0x59/0xc0") }.count
        }
        let placed = try allocations([]), simulated = try allocations(["--simulate"])
        #expect(placed == 10_118 && simulated == 10_118, "placed \(placed), simulated \(simulated)")
    }

    @Test("A single --dump prints only that file, in the kernel's layout")
    func singleDump() throws {
        let text = try run(["run", "idle", "--headless", "--dump", "buddyinfo"])
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.count == 3 && lines[2].isEmpty)
        for line in lines.dropLast() {
            #expect(line.hasPrefix("Node 0, zone "))
            #expect(line.hasSuffix(" "))
            #expect(line.count == "Node 0, zone ".count + 8 + 1 + 11 * 7)
        }
    }

    @Test("buddy-fragmentation leaves plenty free but no order-3 block")
    func fragmentationWorkload() throws {
        let text = try run(["run", "buddy-fragmentation", "--headless", "--dump", "extfrag_index", "--ram", "128M"])
        let dma32 = try #require(text.split(separator: "\n").first { $0.contains("DMA32") })
        let values = dma32.split(separator: " ").suffix(11).compactMap { Double($0) }
        #expect(values.count == 11)
        // extfrag_threshold is 0.5: above it, a failure is fragmentation's fault, not lack of memory.
        #expect(values[0] == -1 && values[2] == -1)
        #expect(values[3] > 0.5, "order-3 failures would come from fragmentation: \(dma32)")
        #expect(values[5] > 0.9)
    }

    @Test("--events-out writes one JSON object per line, with dense sequence numbers")
    func eventsOut() throws {
        let path = "/tmp/memtop-events-\(getpid()).jsonl"
        defer { unlink(path) }
        let summary = try run(["run", "buddy-fragmentation", "--headless", "--ram", "128M", "--events-out", path])
        guard let file = fopen(path, "r") else { Issue.record("no events file"); return }
        defer { fclose(file) }
        var count = 0
        var line: UnsafeMutablePointer<CChar>? = nil
        var capacity = 0
        while getline(&line, &capacity, file) > 0, let line {
            let text = String(cString: line)
            #expect(text.hasPrefix("{\"seq\":\(count),\"kind\":\""))
            #expect(text.hasSuffix("}\n"))
            count += 1
        }
        free(line)
        // Every event the run counted is in the file, none twice ("steps: N, events: M").
        let counted = summary.split(separator: "\n").first { $0.hasPrefix("steps: ") }?.split(separator: " ").last.flatMap { Int($0) }
        #expect(counted != nil && count == counted)
    }

    @Test("An unwritable --events-out is a clear error")
    func unwritableEvents() {
        #expect(Memtop.main(arguments: ["run", "idle", "--headless", "--events-out", "/nonexistent/dir/x.jsonl"]) == 1)
    }
}

import Foundation

@Suite("JSON summaries")
struct JSONSummaryTests {
    @Test("--summary json is one JSON object with zones, call sites, caches and violations")
    func runSummary() throws {
        let command = try Memtop.parseAsRoot(["run", "misuse", "--headless", "--summary", "json", "--ram", "256M"])
        let run = try #require(command as? Memtop.Run)
        let text = try HeadlessRun.play(workload: try #require(Workload.named("misuse")), machine: run.machine, output: run.output)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["workload"] as? String == "misuse")
        #expect((object["violations"] as? [[String: Any]])?.count == 7)
        #expect((object["zones"] as? [[String: Any]])?.first?["zone"] as? String == "DMA")
        #expect(((object["call_sites"] as? [[String: Any]]) ?? []).contains { $0["call_site"] as? String == "misuse_demo+0x10/0x80" })
    }

    @Test("--summary json with --dump is one document that holds the dumps, as the kernel prints them")
    func summaryWithDumps() throws {
        let command = try Memtop.parseAsRoot(["run", "tour", "--summary", "json", "--dump", "buddyinfo,slabinfo", "--ram", "256M"])
        let run = try #require(command as? Memtop.Run)
        let text = try HeadlessRun.play(workload: try #require(Workload.named("tour")), machine: run.machine, output: run.output)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let dumps = try #require(object["dumps"] as? [String: String])
        #expect(Set(dumps.keys) == ["buddyinfo", "slabinfo"])
        #expect(dumps["buddyinfo"]?.hasPrefix("Node 0, zone      DMA ") == true)
        #expect(dumps["slabinfo"]?.hasPrefix("slabinfo - version: 2.1") == true)
        #expect(object["zones"] != nil, "and the summary too")
    }

    @Test("--events-out - carries JSON Lines alone; with --dump or --summary json it is refused with the reason")
    func eventsToStandardOutput() throws {
        let command = try Memtop.parseAsRoot(["run", "tour", "--events-out", "-"])
        let run = try #require(command as? Memtop.Run)
        #expect(!run.output.printsSummary && run.output.wantsViewer == false)
        for extra in [["--dump", "slabinfo"], ["--summary", "json"]] {
            #expect(throws: (any Error).self) { try Memtop.parseAsRoot(["run", "tour", "--events-out", "-"] + extra) }
            #expect(Memtop.main(arguments: ["run", "tour", "--events-out", "-"] + extra) == 2)
        }
    }
}

@Suite("Export")
struct ExportTests {
    @Test("--export writes SVG, text and HTML; the SVG renders where a converter is installed")
    func export() throws {
        let base = "/tmp/memtop-export-\(getpid())"
        defer { for ext in ["svg", "txt", "html", "png"] { unlink("\(base).\(ext)") } }
        for ext in ["svg", "txt", "html"] {
            let command = try Memtop.parseAsRoot(["run", "slab-churn", "--headless", "--ram", "256M", "--export", "\(base).\(ext)"])
            let run = try #require(command as? Memtop.Run)
            _ = try HeadlessRun.play(workload: try #require(Workload.named("slab-churn")), machine: run.machine, output: run.output)
        }
        let svg = try #require(Golden.readFile("\(base).svg"))
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"1440\" height=\"900\""))
        #expect(svg.components(separatedBy: "<rect").count > 1_000)   // the page map's half-block pixels
        #expect(svg.contains(">k</text>"))                              // text, one glyph per cell
        #expect(svg.contains("fill=\"#ff8700\"") || svg.contains("fill=\"#ff5f00\""))   // slab colours
        let text = try #require(Golden.readFile("\(base).txt"))
        #expect(text.contains("Slabs") && text.contains("kmalloc-64"))
        let html = try #require(Golden.readFile("\(base).html"))
        #expect(html.contains("<svg") && html.contains("/proc/slabinfo"))
        if system("command -v rsvg-convert > /dev/null 2>&1") == 0 {
            #expect(system("rsvg-convert \(base).svg -o \(base).png") == 0)
            #expect((Golden.readFile("\(base).png")?.utf8.count ?? 0) > 10_000)
        }
        #expect(Memtop.main(arguments: ["run", "idle", "--headless", "--export", "\(base).pdf"]) == 1)
    }
}
