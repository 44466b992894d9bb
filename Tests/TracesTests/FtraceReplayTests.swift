import Allocators
import HeapModel
@testable import MemtopCommand
import MemtopTestSupport
import Testing
import Traces

#if canImport(Glibc)
import Glibc
#endif

/// Writes `text` to a temporary file and returns its path.
func temporaryFile(_ text: String, suffix: String = ".txt") -> String {
    let path = "/tmp/memtop-trace-\(getpid())-\(Int.random(in: 0..<1_000_000_000))\(suffix)"
    if let f = fopen(path, "w") {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
    }
    return path
}

/// Runs `memtop replay` in process; returns the RunFailure message or nil on success.
func replayError(_ arguments: [String]) -> String? {
    do {
        var command = try Memtop.parseAsRoot(["replay"] + arguments)
        try command.run()
        return nil
    } catch let failure as RunFailure {
        return failure.message
    } catch {
        return "\(error)"
    }
}

/// Replays every line of `path`.
func feed(_ replayer: inout FtraceReplayer, _ machine: inout Machine, path: String, strict: Bool) throws {
    let source = try LineSource(path: path)
    while let line = try source.nextLine() { try replayer.apply(line, line: source.lineNumber, strict: strict, to: &machine) }
}

let header = """
# tracer: nop
#
# entries-in-buffer/entries-written: 4/4   #P:2
#

"""

@Suite("ftrace replay and the fidelity check")
struct FtraceReplayTests {
    @Test("The shared real 6.1 capture: every decision matches the kernel's (0 mismatches)")
    func realCapture() throws {
        let path = try #require(RealCapture.path("trace.txt.xz"), "shared/traces/real must sit beside the repository")
        var machine = TestMachines.kernel(ram: 1 << 30, cpus: 2, kernel: .v6_1)
        machine.setRecording(false)
        var replayer = FtraceReplayer(file: path, kernel: machine.configuration.kernel, check: true)
        try feed(&replayer, &machine, path: path, strict: true)
        let check = try #require(replayer.check)
        #expect(check.mismatches.isEmpty, "\(check.mismatches.prefix(5))")
        // 30214 kmalloc + 60518 kmem_cache_alloc + 83 vmalloc areas (size and alignment).
        #expect(check.compared == 30214 + 60518 + 83 * 2)
        #expect(replayer.summary.events["kmalloc"] == 30214)
        #expect(replayer.summary.malformed.isEmpty)
        try machine.validateInvariants()
        #expect(Memtop.main(arguments: ["replay", path, "--kernel", "6.1", "--check"]) == 0)
    }

    @Test("A wrong bytes_alloc is reported with its line, and the check exits 1")
    func mismatch() throws {
        let path = temporaryFile(header + """
                      sh-1       [000] .....     1.000000: kmalloc: call_site=a+0x1/0x2 ptr=ffff888000001000 bytes_req=72 bytes_alloc=128 gfp_flags=GFP_KERNEL node=-1 accounted=false
                      sh-1       [001] .....     1.000001: kmalloc: call_site=a+0x1/0x2 ptr=ffff888000002000 bytes_req=9000 bytes_alloc=16384 gfp_flags=GFP_KERNEL node=-1 accounted=false
                      sh-1       [001] .....     1.000002: kfree: call_site=b+0x1/0x2 ptr=ffff888000001000
                      sh-1       [001] .....     1.000003: kfree: call_site=b+0x1/0x2 ptr=ffff888000009000

            """)
        defer { unlink(path) }
        var machine = TestMachines.kernel(kernel: .v6_1)
        var replayer = FtraceReplayer(file: path, kernel: machine.configuration.kernel, check: true)
        try feed(&replayer, &machine, path: path, strict: true)
        let check = try #require(replayer.check)
        #expect(check.compared == 2)
        #expect(check.mismatches == [CheckMismatch(kind: "kmalloc bytes_alloc", line: 5, detail: "kmalloc(72): real 128, memtop 96")])
        #expect(replayer.summary.freesOfUnknown == 1)
        #expect(Memtop.main(arguments: ["replay", path, "--check"]) == 1)
    }

    @Test("6.2+ vmalloc tracepoints drive Vmalloc when the trace has no vmalloc kprobes")
    func vmallocTracepoints() throws {
        // 0xffffc90000164000 = 18446683600571482112: va_start is printed in decimal, the free in hex.
        let path = temporaryFile(header + """
                  insmod-300     [001] .....    12.000000: alloc_vmap_area: va_start: 18446683600571482112 size=20480 align=16384 vstart=0xffffc90000000000 vend=0xffffe8ffffffffff failed=0
                  insmod-300     [001] .....    12.000100: alloc_vmap_area: va_start: 18446683600571506688 size=8192 align=1 vstart=0xffffc90000000000 vend=0xffffe8ffffffffff failed=1
                  insmod-300     [001] .....    12.100000: free_vmap_area_noflush: va_start=0xffffc90000164000 nr_lazy=5 nr_lazy_max=32768
              kworker/u4:0-9     [000] .....    13.000000: purge_vmap_area_lazy: start=0xffffc90000000000 end=0xffffc90000200000 num_purged=1

            """)
        defer { unlink(path) }
        var machine = TestMachines.kernel(kernel: .v6_18)
        var replayer = FtraceReplayer(file: path, kernel: machine.configuration.kernel, check: false)
        let source = try LineSource(path: path)
        while let line = try source.nextLine() {
            try replayer.apply(line, line: source.lineNumber, strict: true, to: &machine)
            if source.lineNumber == 6 {
                // After the first area: one live area of 20480 bytes (guard page included), 16 KiB aligned, 4 pages.
                let areas = machine.vmap.areas
                #expect(areas.count == 1)
                #expect(areas.first?.size == 20480 && areas.first?.align == 16384 && areas.first?.pages.count == 4)
                #expect(machine.vmallocinfo().contains("20480"))
            }
        }
        // The failed request allocated nothing; the free left the area lazily freed, its pages returned.
        #expect(replayer.summary.applied["vmalloc"] == 1)
        #expect(replayer.summary.applied["vfree"] == 1)
        #expect(machine.vmap.lazyPages == 5)
        #expect(replayer.liveAtEnd == 0)
        #expect(replayer.summary.events["purge_vmap_area_lazy"] == 1)
        try machine.validateInvariants()
    }

    @Test("Unknown events are skipped and counted; lost-event notices are counted")
    func unknownEvents() throws {
        let path = temporaryFile(header + """
                      sh-1       [000] .....     1.000000: sched_switch: prev_comm=sh prev_pid=1
            CPU:1 [LOST 12 EVENTS]
                      sh-1       [000] .....     1.000001: kfree: call_site=b+0x1/0x2 ptr=0000000000000000

            """)
        defer { unlink(path) }
        var machine = TestMachines.kernel()
        var replayer = FtraceReplayer(file: path, kernel: machine.configuration.kernel, check: false)
        try feed(&replayer, &machine, path: path, strict: false)
        #expect(replayer.summary.unknownEvents == ["sched_switch": 1])
        #expect(replayer.summary.lostEvents == 12)
        // The check says what is uncertain: everything from the first loss on (line 3 of the file).
        #expect(replayer.summary.firstLostLine == header.split(separator: "\n", omittingEmptySubsequences: false).count + 1)
        var checked = FtraceReplayer(file: path, kernel: machine.configuration.kernel, check: true)
        var fresh = TestMachines.kernel()
        try feed(&checked, &fresh, path: path, strict: false)
        let text = Memtop.Replay.report(checked, file: path, check: true)
        #expect(text.contains("the ring buffer lost 12 events, first at line"))
        #expect(text.contains("uncertain: the ring buffer lost 12 events from line"))
    }

    struct BadInput: Sendable, CustomStringConvertible {
        let name: String
        let text: String
        let arguments: [String]
        let expected: String
        var description: String { name }
    }

    static let badInputs: [BadInput] = [
        BadInput(name: "empty", text: "", arguments: [], expected: "found an empty file"),
        BadInput(name: "not ftrace", text: "hello world\n", arguments: [], expected: ":1: expected an ftrace line"),
        BadInput(name: "binary", text: "\u{0}\u{1}\u{2}ELF\n", arguments: [], expected: ":1: expected text, found a NUL byte"),
        BadInput(name: "malformed kmalloc, strict",
                 text: header + "  sh-1 [000] ..... 1.0: kmalloc: call_site=a+0x1/0x2 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL\n",
                 arguments: ["--strict"], expected: ":5: expected ptr=<hex pointer> in kmalloc"),
        BadInput(name: "bad flags, strict",
                 text: header + "  sh-1 [000] ..... 1.0: kmalloc: call_site=a ptr=ff00 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_BOGUS\n",
                 arguments: ["--strict"], expected: ":5: expected GFP flags for gfp_flags=, found unknown \"GFP_BOGUS\""),
        BadInput(name: "negative size, strict",
                 text: header + "  sh-1 [000] ..... 1.0: kmalloc: call_site=a ptr=ff00 bytes_req=-1 bytes_alloc=8 gfp_flags=GFP_KERNEL\n",
                 arguments: ["--strict"], expected: ":5: expected bytes_req= between 0 and"),
        BadInput(name: "zero bytes_alloc, strict",
                 text: header + "  sh-1 [000] ..... 1.0: kmem_cache_alloc: call_site=a ptr=ff00 bytes_req=8 bytes_alloc=0 gfp_flags=GFP_KERNEL\n",
                 arguments: ["--strict"], expected: ":5: expected 8 <= bytes_alloc"),
        BadInput(name: "huge slot, strict",
                 text: header + "  sh-1 [000] ..... 1.0: kmem_cache_alloc: call_site=a ptr=ff00 bytes_req=8 bytes_alloc=8388608 gfp_flags=GFP_KERNEL\n",
                 arguments: ["--strict"], expected: ":5: expected 8 <= bytes_alloc"),
        BadInput(name: "absurd CPU number",
                 text: header + "  sh-1 [99999999999999999999] ..... 1.0: kfree: call_site=a ptr=ff00\n",
                 arguments: [], expected: ":5: expected an ftrace line"),
        BadInput(name: "absurd number, strict",
                 text: header + "  sh-1 [000] ..... 1.0: kmalloc: call_site=a ptr=ff00 bytes_req=99999999999999999999999 bytes_alloc=8 gfp_flags=GFP_KERNEL\n",
                 arguments: ["--strict"], expected: ":5: expected a number for bytes_req="),
    ]

    @Test("Bad input gets FILE:LINE: expected ..., found ..., never a crash", arguments: badInputs)
    func badInput(_ input: BadInput) {
        let path = temporaryFile(input.text)
        defer { unlink(path) }
        let message = replayError([path] + input.arguments)
        #expect(message?.contains(input.expected) == true, "\(message ?? "no error")")
        #expect(message?.hasPrefix(path) == true)
    }

    @Test("Malformed lines are counted, not fatal, without --strict; absurd sizes fail in the simulation")
    func lenient() throws {
        let path = temporaryFile(header + """
              sh-1 [000] ..... 1.0: kmalloc: call_site=a bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL
              sh-1 [000] ..... 1.0: kmalloc: call_site=a ptr=ff00 bytes_req=999999999999 bytes_alloc=8 gfp_flags=GFP_KERNEL

            """)
        defer { unlink(path) }
        #expect(replayError([path]) == nil)
        var machine = TestMachines.kernel()
        var replayer = FtraceReplayer(file: path, kernel: machine.configuration.kernel, check: false)
        try feed(&replayer, &machine, path: path, strict: false)
        #expect(replayer.summary.malformed.count == 1)
        #expect(replayer.summary.simulationFailures == 1)
    }

    @Test("Missing files and directories are clear errors")
    func missing() {
        #expect(replayError(["/nonexistent/trace.txt"])?.contains("cannot open") == true)
        #expect(replayError(["/tmp"])?.contains("not a regular file") == true)
    }

    @Test("gzip input is read through gzip -dc")
    func gzip() throws {
        let plain = temporaryFile(header + "  sh-1 [000] ..... 1.0: kmalloc: call_site=a ptr=ff00 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_KERNEL\n")
        defer { unlink(plain); unlink(plain + ".gz") }
        #expect(system("gzip -k \(plain)") == 0)
        #expect(Memtop.main(arguments: ["replay", plain + ".gz", "--check"]) == 0)
    }
}
