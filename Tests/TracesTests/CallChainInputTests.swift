import HeapModel
import MemtopTestSupport
import Testing
import Traces

/// Call chains written by hand: attribution, bounds, malformed frames, the end of the input.
@Suite("perf script -g call chains, written by hand")
struct CallChainInputTests {
    static func event(_ site: String, ptr: String = "0xff42edc0013de348", bytes: Int = 8) -> String {
        "perf   117 [000]     7.858133:              kmem:kmalloc: call_site=\(site) ptr=\(ptr) bytes_req=\(bytes) "
            + "bytes_alloc=\(bytes) gfp_flags=GFP_KERNEL node=-1 accounted=false"
    }

    static func frame(_ symbol: String, _ object: String = "[kernel.kallsyms]") -> String { "\tffffffffbc2b63b9 \(symbol) (\(object))" }

    /// Replays `lines` (simulating, so Kmalloc takes each allocation) and ends the input.
    static func replay(_ lines: [String], strict: Bool = false) throws(TraceInputError) -> (Machine, FtraceReplayer) {
        var m = TestMachines.kernel(ram: 256 << 20, kernel: .v6_1)
        var r = FtraceReplayer(file: "chains.txt", kernel: .v6_1, check: false)
        for (k, line) in lines.enumerated() { try r.apply(line[...], line: k + 1, strict: strict, to: &m) }
        try r.finishCallChain(strict: strict, on: &m)
        return (m, r)
    }

    static func liveSites(_ m: Machine) -> Set<String> { Set(m.callSiteUsage().keys.map { m.name(of: $0) }) }

    @Test("kvmalloc's kmalloc is the caller's: the first frame outside the allocator, not call_site=")
    func attribution() throws {
        let (m, r) = try Self.replay([
            Self.event("kvmalloc_node+0x3e", bytes: 2048),
            Self.frame("__traceiter_kmalloc+0x59"), Self.frame("__kmalloc_node+0xa7"), Self.frame("kvmalloc_node+0x3e"),
            Self.frame("alloc_fdtable+0x7d"), Self.frame("dup_fd+0x1f2"), "",
            // No trailing blank line: the end of the input ends this chain.
            Self.event("alloc_cpumask_var_node+0x1b", ptr: "0xff42edc0013de400"),
            Self.frame("__traceiter_kmalloc+0x59"), Self.frame("[unknown]"), Self.frame("alloc_cpumask_var_node+0x1b"),
        ])
        #expect(Self.liveSites(m) == ["alloc_fdtable+0x7d", "alloc_cpumask_var_node+0x1b"])
        #expect(r.summary.chainSitesDiffering == ["kvmalloc_node -> alloc_fdtable": 1])
        #expect(r.summary.chainedEvents == 2 && r.summary.events["kmalloc"] == 2)
        let site = try #require(m.callSiteUsage().keys.first { m.name(of: $0) == "alloc_fdtable+0x7d" })
        #expect(m.callChains(of: site).map(\.frames) == [["alloc_fdtable+0x7d", "dup_fd+0x1f2"]])
    }

    @Test("A chain with no kernel frame outside the allocator keeps call_site=; user frames never become sites")
    func fallback() throws {
        let (m, r) = try Self.replay([Self.event("strndup_user+0x2b"), Self.frame("memdup_user+0x22"),
                                      Self.frame("main+0x10", "/usr/bin/true"), ""])
        #expect(Self.liveSites(m) == ["strndup_user+0x2b"])
        #expect(r.summary.chainedEvents == 0)
        #expect(m.callStacks.stackCount == 1)
    }

    @Test("A chain deeper than the bound keeps its first 32 frames and counts the rest")
    func depth() throws {
        let frames = (0..<100).map { Self.frame("f\($0)+0x1") }
        let (m, _) = try Self.replay([Self.event("f0+0x1")] + frames + [""])
        #expect(m.callStacks.droppedFrames == 68)
        let site = try #require(m.callSiteUsage().keys.first)
        #expect(m.callChains(of: site).first?.frames.count == CallStacks.maxDepth)
    }

    @Test("A malformed frame is counted, or with --strict stops the replay at its line")
    func malformedFrame() throws {
        let lines = [Self.event("a+0x1"), "\tnot-an-address here", Self.frame("a+0x1"), ""]
        let (m, r) = try Self.replay(lines)
        #expect(r.summary.malformedCount == 1)
        #expect(Self.liveSites(m) == ["a+0x1"])
        #expect(throws: TraceInputError.self) { _ = try Self.replay(lines, strict: true) }
        do { _ = try Self.replay(lines, strict: true) } catch {
            #expect(error.description.hasPrefix("chains.txt:2: expected a call-chain frame"), "\(error.description)")
        }
    }

    @Test("ftrace text has no chains and records none")
    func plainText() throws {
        let (m, r) = try Self.replay(["  sh-1 [000] ..... 1.000000: kmalloc: call_site=a+0x1/0x20 ptr=0xff42edc0013de348 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL node=-1 accounted=false"])
        #expect(m.callStacks.isEmpty && r.summary.chainedEvents == 0)
        #expect(Self.liveSites(m) == ["a+0x1/0x20"])
    }

    @Test("CallStacks stops interning at its bound and still finds what it kept")
    func bounds() {
        var s = CallStacks()
        let bits = [s.frame("zero+0x0")!, s.frame("one+0x0")!]
        func stack(_ k: Int) -> [UInt32] { (0..<17).map { bits[(k >> $0) & 1] } }
        var kept = 0
        for k in 0..<CallStacks.maxStacks where s.stack(stack(k)) != nil { kept += 1 }
        #expect(kept == CallStacks.maxStacks)
        #expect(s.stack(stack(CallStacks.maxStacks)) == nil)
        #expect(s.stack(stack(5)) == 5)
        s.note(5, at: CallSite(rawValue: 3))
        s.note(5, at: CallSite(rawValue: 3))
        #expect(s.stacks(of: CallSite(rawValue: 3)).map(\.count) == [2])
    }
}
