import Captures
import Testing

/// Reading bundle folders: the trace's name, identity files, start/ and end/, and what is refused.
@Suite("CaptureBundle")
struct CaptureBundleTests {
    @Test("The shared bundles read whole: kernel, CPUs, trace, start and end",
          .enabled(if: SharedBundles.available, SharedBundles.skipReason), arguments: SharedBundles.names)
    func sharedBundles(_ name: String) throws {
        let path = SharedBundles.path(name)
        #expect(CaptureBundle.isBundle(path: path))
        let bundle = try CaptureBundle(path: path)
        #expect(bundle.release?.series == (name.hasSuffix("6.12-build") ? "6.12" : "6.1"))
        let end = try #require(bundle.end)
        #expect(bundle.start.zoneinfo?.count == 5 && end.zoneinfo?.count == 5)
        #expect(bundle.start.pagetypeinfo != nil && bundle.start.vmallocinfo != nil && bundle.start.slabSysfs != nil)
        #expect(bundle.start.slabAliases != nil && bundle.start.pcp != nil && bundle.start.meminfo != nil)
        if name == "formats/6.1-mix" {
            // Its traces are named trace-v7.dat.xz, perf-script.txt.xz, ...: none is "trace.*", and no nproc.txt.
            #expect(bundle.trace == nil && bundle.cpus == nil)
        } else {
            // 6.1-vmalloc also holds trace.dat.xz and trace-cmd-report.txt.xz: the text trace wins.
            #expect(bundle.trace?.name == "trace.txt.xz")
            #expect(bundle.trace?.container == .text && bundle.trace?.compression == .xz)
            #expect(bundle.cpus == 2)
        }
    }

    @Test("isBundle: a bundle folder, not its parent, its start/ or a missing path",
          .enabled(if: SharedBundles.available, SharedBundles.skipReason))
    func isBundle() {
        #expect(CaptureBundle.isBundle(path: SharedBundles.path("bundles/6.1-build")))
        #expect(!CaptureBundle.isBundle(path: SharedBundles.path("bundles")))
        #expect(!CaptureBundle.isBundle(path: SharedBundles.path("bundles/6.1-build/start")))
        #expect(!CaptureBundle.isBundle(path: SharedBundles.path("bundles/6.1-build/uname.txt")))
        #expect(!CaptureBundle.isBundle(path: "/nonexistent/bundle"))
    }

    @Test("The trace: text over trace.dat; report, settings and stats files ignored", arguments: [
        (["trace.txt", "trace.dat"], "trace.txt"),
        (["trace.dat.xz", "trace-cmd-report.txt.xz", "trace_settings.txt", "trace_per_cpu_stats.txt"], "trace.dat.xz"),
        (["trace.txt.gz", "trace.dat.xz"], "trace.txt.gz"),
        (["trace-cmd-report.txt", "trace_settings.txt"], nil),
    ] as [([String], String?)])
    func traceChoice(_ files: [String], chosen: String?) throws {
        let folder = try #require(TemporaryFolder())
        folder.writeState("start")
        for file in files { folder.write(file, "x\n") }
        let bundle = try CaptureBundle(path: folder.path)
        #expect(bundle.trace?.name == chosen)
        #expect(bundle.trace.map { $0.path == folder.path + "/" + $0.name } ?? true)
        #expect(bundle.end == nil && bundle.release == nil && bundle.cpus == nil)
    }

    @Test("TraceFile: container and compression from the name")
    func traceFileNames() {
        #expect(TraceFile(path: "/b/trace.dat", name: "trace.dat").container == .traceDat)
        #expect(TraceFile(path: "/b/trace.dat", name: "trace.dat").compression == .none)
        #expect(TraceFile(path: "/b/trace.txt.zst", name: "trace.txt.zst").compression == .zstd)
        #expect(TraceFile(path: "/b/trace.txt", name: "trace.txt").compression == .none)
        #expect(TraceFile(path: "/b/trace.txt.bz2", name: "trace.txt.bz2").container == .text)
    }

    @Test("Two text traces are refused as ambiguous")
    func ambiguousTrace() throws {
        let folder = try #require(TemporaryFolder())
        folder.writeState("start")
        folder.write("trace.txt", "x\n")
        folder.write("trace.txt.xz", "x\n")
        #expect(throws: CaptureError.self) { try CaptureBundle(path: folder.path) }
        do {
            _ = try CaptureBundle(path: folder.path)
        } catch {
            #expect(error.file == folder.path && error.found == "trace.txt, trace.txt.xz")
        }
    }

    @Test("A missing required start/ file is an error naming it", arguments: ProcState.requiredFiles)
    func missingRequiredFile(_ name: String) throws {
        let folder = try #require(TemporaryFolder())
        folder.writeState("start", omitting: [name])
        folder.write("uname.txt", "Linux (none) 6.1.0-56-amd64 #1 SMP\n")
        #expect(!CaptureBundle.isBundle(path: folder.path))
        do {
            _ = try CaptureBundle(path: folder.path)
            Issue.record("a bundle without start/\(name) was read")
        } catch {
            #expect(error.file == folder.path + "/start/" + name && error.line == nil && error.found == "no such file")
        }
    }

    @Test("A malformed end/ file is an error naming its path and line")
    func malformedEnd() throws {
        let folder = try #require(TemporaryFolder())
        folder.writeState("start")
        folder.writeState("end")
        folder.write("end/buddyinfo.txt", "Node 0, zone DMA32 1 2 x\n")
        folder.write("nproc.txt", "2\n")
        #expect(CaptureBundle.isBundle(path: folder.path))
        do {
            _ = try CaptureBundle(path: folder.path)
            Issue.record("a malformed end/buddyinfo.txt was read")
        } catch {
            #expect(error.file == folder.path + "/end/buddyinfo.txt" && error.line == 1 && error.found == "\"x\"")
        }
    }

    @Test("A state folder from fixtures: optional files absent stay nil")
    func optionalFiles() throws {
        let folder = try #require(TemporaryFolder())
        folder.writeState("start", omitting: ["pagetypeinfo.txt", "vmallocinfo.txt"])
        let state = try ProcState(directory: folder.path + "/start")
        #expect(state.pagetypeinfo == nil && state.vmallocinfo == nil && state.pcp == nil && state.meminfo == nil)
        #expect(state.buddyinfo.first?.freePages == 1000 && state.slabinfo.count == 3 && state.zoneinfo?.count == 2)
    }
}
