import HeapModel
import MemtopCommand
import TerminalUI
import Testing
import Traces

#if canImport(Glibc)
import Glibc
#endif

/// `perf script -g`: the frames under an event are its call chain, and its call site is the
/// chain's first frame outside the allocator.
@Suite("perf script -g call chains")
struct CallChainTests {
    /// The shared 6.1-mix `perf script -g` text replayed once (3M lines), or nil without the sample.
    static let replayed: (Machine, ReplaySummary)? = {
        guard let path = TraceTextLayoutTests.file("perf-script-g.txt.xz"),
              let (m, s, _) = try? Memtop.Replay.endState(of: path, kernel: .v6_1) else { return nil }
        return (m, s)
    }()

    @Test("The first event's chain is the file's 15 frames (lines 2-16), kernel frames by symbol, user frames with their object")
    func firstChain() throws {
        let (m, _) = try #require(Self.replayed, "shared/traces/formats/6.1-mix/perf-script-g.txt.xz")
        let site = try #require(m.callSiteNames.firstIndex(of: "alloc_cpumask_var_node+0x1b"))
        let chains = m.callStacks.stacks(of: CallSite(rawValue: UInt32(site)))
        let expected = ["__traceiter_kmalloc+0x59", "__kmalloc_node+0xa7", "alloc_cpumask_var_node+0x1b", "__x64_sys_sched_setaffinity+0x43",
                        "do_syscall_64+0x5d", "entry_SYSCALL_64_after_hwframe+0x6e", "sched_setaffinity+0x7 (/lib/x86_64-linux-gnu/libc.so.6)"]
            + Array(repeating: "[unknown] (/usr/bin/perf)", count: 7) + ["[unknown] (/lib/x86_64-linux-gnu/libc.so.6)"]
        #expect(chains.contains { $0.frames == expected })
        // The file's second event (lines 18-34) came through __sched_setaffinity: another chain of the same site.
        #expect(chains.contains { $0.frames.prefix(5) == ["__traceiter_kmalloc+0x59", "__kmalloc_node+0xa7", "alloc_cpumask_var_node+0x1b",
                                                          "__sched_setaffinity+0x46", "sched_setaffinity+0xfe"] })
        #expect(chains.allSatisfy { $0.frames.count <= CallStacks.maxDepth })
    }

    /// What the real sample shows: every kmem_cache_alloc and kmem_cache_free, and nearly every
    /// kmalloc and kfree, has its `call_site=` as the chain's first frame outside the allocator; the
    /// 725 that differ all have `call_site=` inside vmalloc or kvmalloc (vmalloc's page array is
    /// kmalloc'd and kfree'd by `__vmalloc_node_range` and `__vunmap`, kvmalloc's attempt by
    /// `kvmalloc_node`), where the chain names the caller that asked for the memory.
    @Test("The chain's site agrees with call_site= except where call_site= is vmalloc's or kvmalloc's own code")
    func attribution() throws {
        let (m, s) = try #require(Self.replayed, "shared/traces/formats/6.1-mix/perf-script-g.txt.xz")
        #expect(s.chainedEvents == 150_435)   // the events with a site, less 3577 frees of NULL and failed kmallocs
        #expect(s.chainSitesDiffering.values.reduce(0, +) == 725)
        #expect(s.chainSitesDiffering["__vmalloc_node_range -> copy_process"] == 354)
        #expect(s.chainSitesDiffering["__vunmap -> free_work"] == 354)
        #expect(s.chainSitesDiffering["kvmalloc_node -> alloc_fdtable"] == 5)
        for key in s.chainSitesDiffering.keys {
            #expect(["__vmalloc_node_range ->", "__vunmap ->", "kvmalloc_node ->"].contains { key.hasPrefix($0) }, "\(key)")
        }
        #expect(m.callSiteNames.contains { $0.hasPrefix("copy_process+") })
        #expect(s.malformedCount == 0)
        #expect(m.callStacks.stackCount == 1758)
        #expect(m.callStacks.droppedFrames > 0 && m.callStacks.droppedStacks == 0)
    }

    @Test("The headless report lists the most traced sites' chains, starting at the site's own frame")
    func report() throws {
        let (m, _) = try #require(Self.replayed, "shared/traces/formats/6.1-mix/perf-script-g.txt.xz")
        let text = m.callChainReport(limit: 3, frames: 4)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.first == "call chain of getname_flags.part.0+0x2b (6967 of 22256 traced calls; 20 distinct):")
        #expect(Array(lines[1...4]) == ["  getname_flags.part.0+0x2b", "  vfs_fstatat+0x38", "  __do_sys_newfstatat+0x3f", "  do_syscall_64+0x5d"])
        #expect(lines.filter { $0.hasPrefix("call chain of") }.count == 3)
        #expect(lines.last?.hasPrefix("1758 distinct chains; left out: ") == true)
    }

    @Test("The w table shows the selected site's chain, and the inspector the chains of a page's objects")
    func viewer() throws {
        let (m, _) = try #require(Self.replayed, "shared/traces/formats/6.1-mix/perf-script-g.txt.xz")
        var state = ViewState()
        state.playing = false
        state.showCallSites = true
        state.focus = .slabs
        let snapshot = FrameSnapshot(machine: m, status: StatusInfo(source: "perf-script-g.txt", step: 1, playing: false))
        let callSites = CallSiteRow.rows(of: m, cumulative: [:], sort: state.slabSort)
        let row = try #require(callSites.firstIndex { !m.callChains(of: $0.site).isEmpty })
        state.slabTable.selected = row
        let (buffer, layout) = Screen.render(snapshot, state: state, theme: Theme(mode: .full256), width: 160, height: 50)
        let l = try #require(layout)
        let panel = (l.slabs.y..<(l.slabs.y + l.slabs.height)).map { buffer.line($0) }.joined(separator: "\n")
        let site = callSites[row]
        #expect(panel.contains("call chain of \(site.name) ("))
        #expect(panel.contains(m.callChains(of: site.site)[0].frames.dropFirst().first ?? "?"))

        // The inspector on a slab page whose live object has a chain.
        let pfn = try #require((0..<m.endPFN).first { m.explainFrame(PageFrameNumber($0)).contains { $0.hasPrefix("call chain of") } })
        state.showInspector = true
        state.showCallSites = false
        state.pageMap.cursor = pfn
        let (inspected, _) = Screen.render(snapshot, state: state, theme: Theme(mode: .full256), width: 160, height: 50)
        #expect(inspected.text.contains("call chain of "))
    }
}
