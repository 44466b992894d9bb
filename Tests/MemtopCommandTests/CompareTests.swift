import Allocators
import HeapModel
import MemtopCommand
import MemtopTestSupport
import Testing
import TerminalUI
import Workloads

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
        #expect(text.hasSuffix("lines differ\n"))
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
        let layout = try #require(compare.right.state.layout)
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
