import Allocators
import BuiltInWorkloads
import Foundation
import HeapModel
import MemtopCommand
import MemtopTestSupport
import TerminalUI
import Testing

@Suite("Compare and --at")
struct CompareTests {
    @Test("Two CPU counts: kmalloc-192 has 21 objects per slab on 2 CPUs and 42 on 64")
    func cpus() throws {
        let common = try MachineOptions.parse(["--ram", "256M"])
        let a = try Memtop.Compare.play("slab-churn --cpus 2", common: common, at: 3000)
        let b = try Memtop.Compare.play("slab-churn --cpus 64", common: common, at: 3000)
        let text = Memtop.Compare.diff(a, b, first: "2 CPUs", second: "64 CPUs")
        #expect(text.contains("- kmalloc-192 ") && text.contains("+ kmalloc-192 "))
        let minus = try #require(text.split(separator: "\n").first { $0.hasPrefix("- kmalloc-192 ") })
        let plus = try #require(text.split(separator: "\n").first { $0.hasPrefix("+ kmalloc-192 ") })
        #expect(minus.split(separator: " ")[5] == "21" && plus.split(separator: " ")[5] == "42")
        // The count at the end is the number of differing lines shown: each is one "-" and one "+"
        // line here, since both sides have every file's lines.
        let lines = text.split(separator: "\n")
        let count = try #require(lines.last.flatMap { Int($0.split(separator: " ")[1]) })
        #expect(count > 0)
        #expect(count == lines.filter { $0.hasPrefix("- ") }.count && count == lines.filter { $0.hasPrefix("+ ") }.count)
        // The same run twice differs nowhere.
        let same = Memtop.Compare.diff(a, a, first: "a", second: "a")
        #expect(same.hasSuffix("compare: 0 lines differ\n"))
    }

    @Test("A side that is neither a workload nor a trace is a clear error")
    func badSide() {
        #expect(Memtop.main(arguments: ["compare", "no-such-thing", "idle"]) == 1)
        #expect(Memtop.main(arguments: ["compare", "idle --cpus 0", "idle"]) == 2)
    }

    @Test("--at N gives the state as of event N, as the viewer's seek does")
    func at() throws {
        let command = try Memtop.parseAsRoot(["run", "slab-churn", "--headless", "--ram", "256M", "--seed", "3", "--at", "2500",
                                              "--dump", "slabinfo,buddyinfo"])
        let run = try #require(command as? Memtop.Run)
        let text = try HeadlessRun.play(workload: try #require(Workload.named("slab-churn")), machine: run.machine, output: run.output)
        var m = TestMachines.kernel(ram: 256 << 20)
        var w = try #require(Workload.named("slab-churn")).start(3, m.configuration)
        Workload.runToEnd(&w, on: &m, maxSteps: 2500)
        #expect(text == "==> /proc/slabinfo <==\n" + m.slabinfo() + "\n==> /proc/buddyinfo <==\n" + m.buddyinfo())
    }
}

@Suite("Compare side by side")
struct CompareSessionTests {
    @Test("Both sides step in lockstep and the slab rows that differ are marked")
    func sideBySide() throws {
        func session(_ cpus: Int) throws -> ViewerSession {
            try ViewerSession(ViewerRequest(source: .workload(try #require(Workload.named("slab-churn"))),
                                            configuration: MachineConfiguration(ramBytes: 256 << 20, cpus: cpus), seed: 2),
                              theme: Theme(mode: .full256))
        }
        var compare = CompareSession(left: try session(2), right: try session(64))
        for _ in 0..<3 { _ = compare.handle(.char(".")) }
        #expect(compare.left.status.step == 3 && compare.right.status.step == 3)
        _ = compare.handle(.tab)   // focus the slab tables
        for key in [Key.char("g"), .char("5"), .char("0"), .char("0"), .char("0"), .enter] { _ = compare.handle(key) }
        #expect(compare.left.status.step == 5000 && compare.right.status.step == 5000)
        let buffer = compare.render(width: 200, height: 50)
        // Geometry differs between 2 and 64 CPUs (kmalloc-192: 21 vs 42 objects a slab), so some visible
        // slab rows differ and are marked bold on both sides; identical rows are not.
        let layout = try #require(compare.right.layout)
        let x = 100 + layout.slabs.x + 3
        let rows = (layout.slabs.y + 2)..<(layout.slabs.y + layout.slabs.height - 1)
        let marked = rows.filter { buffer[x, $0].style.bold }
        #expect(!marked.isEmpty)
        #expect(marked.count < rows.count)
        let small = compare.render(width: 120, height: 40)
        #expect(small.text.contains("memtop compare needs at least 160x24"))
    }

    @Test("Playing side by side keeps both at the same event, and a side that ends does not stop the other")
    func lockstep() throws {
        func side(_ name: String) throws -> ViewerSession {
            try ViewerSession(ViewerRequest(source: .workload(try #require(Workload.named(name))),
                                            configuration: MachineConfiguration(ramBytes: 256 << 20), seed: 3),
                              theme: Theme(mode: .monochrome))
        }
        var both = CompareSession(left: try side("slab-churn"), right: try side("buddy-fragmentation"))
        both.play(500, clock: { 0 }, deadline: .max)
        #expect(both.left.status.step == 500 && both.right.status.step == 500)
        var uneven = CompareSession(left: try side("slab-churn"), right: try side("idle"))
        uneven.play(500, clock: { 0 }, deadline: .max)
        #expect(uneven.right.status.finished)
        #expect(uneven.left.status.step == 500)
        #expect(uneven.isRunning)
    }
}

@Suite("Compare marks and exports its differences")
struct CompareDifferenceTests {
    static func session(_ cpus: Int, mode: ColorMode = .full256) throws -> ViewerSession {
        try ViewerSession(ViewerRequest(source: .workload(try #require(Workload.named("slab-churn"))),
                                        configuration: MachineConfiguration(ramBytes: 256 << 20, cpus: cpus), seed: 2),
                          theme: Theme(mode: mode))
    }

    static func atEvent(_ n: Int, mode: ColorMode = .full256) throws -> CompareSession {
        var compare = CompareSession(left: try session(2, mode: mode), right: try session(64, mode: mode))
        let keys = [Key.char("g")] + String(n).map { Key.char($0) } + [Key.enter]
        for key in keys { _ = compare.handle(key) }
        return compare
    }

    @Test("A differing line of the fragmentation panel gets the marker and the attribute on both sides; equal lines neither")
    func fragmentationMarked() throws {
        var compare = try Self.atEvent(3000)
        let buffer = compare.render(width: 200, height: 50)
        let l = try #require(compare.left.layout).fragmentation, r = try #require(compare.right.layout).fragmentation
        var markedRows = 0, plainRows = 0
        for k in 1..<(l.height - 1) {
            let left = (l.x + 1..<l.x + l.width - 1).map { buffer[$0, l.y + k] }
            let right = (100 + r.x + 1..<100 + r.x + r.width - 1).map { buffer[$0, r.y + k] }
            let differs = left.map(\.char) != right.map(\.char)
            let leftMarker = buffer[l.x, l.y + k].char == CompareSession.marker
            let rightMarker = buffer[100 + r.x, r.y + k].char == CompareSession.marker
            #expect(leftMarker == differs && rightMarker == differs, "row \(k)")
            if differs {
                markedRows += 1
                // Every character that differs is drawn bold in the alarm colour, on both sides.
                for (a, b) in zip(left, right) where a.char != b.char {
                    #expect(a.style.bold && b.style.bold && a.style.fg == .palette(214) && b.style.fg == .palette(214))
                }
            } else {
                plainRows += 1
                #expect(left.allSatisfy { $0.style.fg != .palette(214) })
            }
        }
        #expect(markedRows > 0 && plainRows > 0)
    }

    @Test("Without colours, differences are bold and underlined, still with the marker")
    func monochromeMarks() throws {
        var compare = try Self.atEvent(3000, mode: .monochrome)
        let buffer = compare.render(width: 200, height: 50)
        let slabs = try #require(compare.left.layout).slabs
        let rows = (slabs.y + 2)..<(slabs.y + slabs.height - 1)
        let marked = rows.filter { buffer[slabs.x, $0].char == CompareSession.marker }
        #expect(!marked.isEmpty && marked.count < rows.count)
        for y in marked { #expect(buffer[slabs.x + 3, y].style.bold && buffer[slabs.x + 3, y].style.underline) }
    }

    @Test("e writes one picture of both sides, differences marked, and neither side writes its own")
    func exportBoth() throws {
        var compare = try Self.atEvent(3000)
        let dir = "/tmp/memtop-compare-export-\(getpid())"
        try #require(mkdir(dir, 0o700) == 0)
        defer { for f in compare.exported { unlink(f) }; rmdir(dir) }
        compare.exportDirectory = dir
        _ = compare.render(width: 200, height: 50)
        _ = compare.handle(.char("e"))
        #expect(compare.exported == [dir + "/memtop-compare-slab-churn-vs-slab-churn-3000.svg",
                                     dir + "/memtop-compare-slab-churn-vs-slab-churn-3000.txt"])
        let text = try String(contentsOfFile: compare.exported[1], encoding: .utf8)
        let lines = text.split(separator: "\n")
        #expect(lines.count == 50 && lines.allSatisfy { $0.count <= 200 } && lines.contains { $0.count > 150 }, "both halves, 200x50")
        #expect(text.contains("≠"))
        #expect(compare.left.log.last?.text.contains("exported both sides") == true)
        #expect(!compare.left.log.contains { $0.text.contains("exported the screen") })
    }

    @Test("--headless prints only the differing lines with two of context; --all prints every line")
    func compactDiff() throws {
        let common = try MachineOptions.parse(["--ram", "256M"])
        let a = try Memtop.Compare.play("slab-churn --cpus 2", common: common, at: 3000)
        let b = try Memtop.Compare.play("slab-churn --cpus 64", common: common, at: 3000)
        let compact = Memtop.Compare.diff(a, b, first: "a", second: "b").split(separator: "\n")
        let all = Memtop.Compare.diff(a, b, first: "a", second: "b", context: nil).split(separator: "\n")
        let changes = { (lines: [Substring]) in lines.filter { $0.hasPrefix("- ") || $0.hasPrefix("+ ") } }
        #expect(!changes(all).isEmpty && changes(compact) == changes(all), "the same differences, in order")
        #expect(compact.count < all.count)
        #expect(compact.contains("  ...") && !all.contains("  ..."))
        #expect(compact.contains("==> /proc/vmallocinfo <== (no differences)"))
        // Each unchanged line kept is within two lines of a change (or is a file's column header).
        let blocks = compact.split { $0.hasPrefix("==> ") || $0.isEmpty || $0 == "  ..." }
        for block in blocks where block.contains(where: { $0.hasPrefix("- ") || $0.hasPrefix("+ ") }) {
            let lines = Array(block)
            for (i, line) in lines.enumerated() where line.hasPrefix("  ") && !line.hasPrefix("  zone") && !line.hasPrefix("  slabinfo") && !line.hasPrefix("  # name") {
                let near = lines[max(0, i - 2)...min(lines.count - 1, i + 2)].contains { $0.hasPrefix("- ") || $0.hasPrefix("+ ") }
                #expect(near, "\(line)")
            }
        }
        let same = Memtop.Compare.diff(a, a, first: "a", second: "a")
        #expect(same.split(separator: "\n").count == 2 + 6 + 1 && same.hasSuffix("compare: 0 lines differ\n"))
        #expect(Memtop.main(arguments: ["compare", "idle", "idle", "--all"]) == 2)
    }
}
