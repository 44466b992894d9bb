import Allocators
import HeapModel
import MemtopCommand
import MemtopTestSupport
import Testing
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
        for _ in 0..<2500 { _ = w.step(&m) }
        #expect(text == "==> /proc/slabinfo <==\n" + m.slabinfo() + "\n==> /proc/buddyinfo <==\n" + m.buddyinfo())
    }
}
