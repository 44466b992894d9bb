import HeapModel
import MemtopCommand
import MemtopTestSupport
import Testing
import Traces

#if canImport(Glibc)
import Glibc
#endif

/// Writes `bytes` to a new temporary file and returns its path.
func temporaryDat(_ bytes: [UInt8], suffix: String = ".dat") -> String {
    let path = "/tmp/memtop-dat-\(getpid())-\(Int.random(in: 0..<1_000_000_000))\(suffix)"
    if let f = fopen(path, "w") {
        _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, f) }
        fclose(f)
    }
    return path
}

/// Every line of the text a reader prints (header included).
func lines(of reader: TraceDatReader) throws -> [String] {
    var text: [UInt8] = []
    try reader.text { block in text += block; return true }
    return String(decoding: text, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).dropLast().map(String.init)
}

extension DatFixture {
    /// Two CPUs; a tie at 1.0 s, time extends, an absolute timestamp, padding, missed events (stored
    /// and not), a module call site, a kprobe and a kretprobe, an event memtop does not read.
    static var basic: DatFixture {
        let cpu0: [Page] = [
            Page(timestamp: 1_000_000_000, items: [
                .event(delta: 0, record: kmalloc(site: 0xffff_ffff_8100_1010, ptr: 0xffff_8880_0000_1000, req: 72, alloc: 96, gfp: 0xcc0, node: -1)),
                .extend(3_000_000_499),
                .event(delta: 1, record: kmalloc(site: 0xffff_ffff_c000_1004, ptr: 0xffff_8880_0000_2000, req: 200, alloc: 256,
                                                 gfp: 0x400dc0, node: 0, pid: 7, flags: 0x0d, preempt: 0x21)),
                .padding(delta: 5, length: 12),
                .event(delta: 10, record: cacheFree(site: 0xffff_ffff_8100_1105, ptr: 0xffff_8880_0000_2000, name: "kmalloc-256")),
                .endPadding,
            ]),
            Page(timestamp: 5_000_000_000, items: [
                .event(delta: 0, record: kprobe(ip: 0xffff_ffff_8100_1200, size: 16384, align: 16384, gfp: 0xdc0, caller: 0xffff_ffff_8100_2010)),
            ], missed: .stored(3)),
            Page(timestamp: 6_000_000_000, items: [
                .absolute(7_000_000_000),
                .longEvent(delta: 0, record: kretprobe(function: 0xffff_ffff_8100_1200, returnTo: 0xffff_ffff_8100_2020, ret: 0xffff_c900_0001_0000)),
            ], missed: .unknown),
        ]
        let cpu1: [Page] = [
            Page(timestamp: 1_000_000_000, items: [
                .event(delta: 0, record: other(comm: "swapper/1", pid: 0, note: "hello", flags: 255, mac: [10, 11, 12, 13, 14, 15])),
                .extend(2_000_000_000),
                .event(delta: 0, record: kmalloc(site: 0xffff_ffff_9000_0000, ptr: 0, req: 8, alloc: 8, gfp: 0xa20, node: 0, pid: 1)),
                .event(delta: 7, record: kmalloc(site: 0x10, ptr: 0xffff_8880_0000_3000, req: 8, alloc: 8, gfp: 0, node: 0, pid: 1)),
            ]),
        ]
        return DatFixture(cpus: [cpu0, cpu1])
    }

    static let basicText = [
        "        vmstress-42      [000] .....     1.000000: kmalloc: call_site=kmalloc_caller+0x10/0x100 ptr=ffff888000001000 bytes_req=72 bytes_alloc=96 gfp_flags=GFP_KERNEL node=-1 accounted=false",
        "          <idle>-0       [001] .....     1.000000: sched_other: prev_comm=swapper/1 prev_pid=0 note=hello flags=255 mac=0x0a0b0c0d0e0f",
        "            init-1       [001] .....     3.000000: kmalloc: call_site=0xffffffff90000000 ptr=0000000000000000 bytes_req=8 bytes_alloc=8 gfp_flags=GFP_ATOMIC node=0 accounted=false",
        "            init-1       [001] .....     3.000000: kmalloc: call_site=0x10 ptr=ffff888000003000 bytes_req=8 bytes_alloc=8 gfp_flags=none node=0 accounted=false",
        "           <...>-7       [000] dnh12     4.000001: kmalloc: call_site=mod_func+0x4/0x80 [mymod] ptr=ffff888000002000 bytes_req=200 bytes_alloc=256 gfp_flags=GFP_KERNEL_ACCOUNT|__GFP_ZERO node=0 accounted=true",
        "        vmstress-42      [000] .....     4.000001: kmem_cache_free: call_site=other_func+0x5/0x100 ptr=ffff888000002000 name=kmalloc-256",
        "CPU:0 [LOST 3 EVENTS]",
        "            init-1       [000] .....     5.000000: kp_vmalloc: (__vmalloc_node_range+0x0/0xe00) size=16384 align=16384 gfp=0xdc0 caller=copy_process+0x10/0x1000",
        "CPU:0 [LOST 1 EVENTS]",
        "            init-1       [000] .....     7.000000: kp_vmalloc_ret: (copy_process+0x20/0x1000 <- __vmalloc_node_range) ret=0xffffc90000010000",
    ]
}

@Suite("TraceDat: trace-cmd's trace.dat read natively, printed as the kernel's ftrace text")
struct TraceDatTests {
    @Test("Version 6 and 7 (uncompressed, zstd, zlib) print the same lines, as the kernel's trace file would",
          arguments: ["v6", "v7-none", "v7-zstd", "v7-zlib"])
    func fixtureText(_ kind: String) throws {
        let f = DatFixture.basic
        let bytes = kind == "v6" ? f.version6() : f.version7(kind == "v7-zstd" ? .zstd : kind == "v7-zlib" ? .zlib : .none)
        let path = temporaryDat(bytes)
        defer { unlink(path) }
        let reader = try TraceDatReader(path: path)
        #expect(reader.version == (kind == "v6" ? 6 : 7))
        #expect(reader.compression == (kind == "v7-zstd" ? "zstd" : kind == "v7-zlib" ? "zlib" : nil))
        #expect(reader.kernel == .v6_1)
        #expect(reader.cpus == 2)
        let text = try lines(of: reader)
        #expect(text.count == 12 + DatFixture.basicText.count)
        #expect(text.prefix(12).allSatisfy { $0.hasPrefix("#") })
        #expect(Array(text.dropFirst(12)) == DatFixture.basicText)
    }

    @Test("The uname option picks the GFP names: 6.1 has __GFP_ATOMIC, a later kernel does not")
    func kernelFromUname() throws {
        var f = DatFixture.basic
        f.uname = "Linux (none) 6.12.117+deb12-amd64 x86_64"
        let path = temporaryDat(f.version6())
        defer { unlink(path) }
        let reader = try TraceDatReader(path: path)
        #expect(reader.kernel == .v6_18)
        #expect(try lines(of: reader)[14].contains("gfp_flags=GFP_ATOMIC|0x200 "))
    }

    @Test("A counter clock prints raw counts, as the kernel does for clocks not in nanoseconds")
    func counterClock() throws {
        var f = DatFixture.basic
        f.clock = "counter"
        let path = temporaryDat(f.version7(.zstd))
        defer { unlink(path) }
        let first = try lines(of: TraceDatReader(path: path))[12]
        #expect(first.contains("[000] .....   1000000000: kmalloc: "))
    }

    @Test("Every cut-short copy fails at open with a message naming the file, never a crash", arguments: ["v6", "v7"])
    func everyTruncation(_ kind: String) throws {
        let bytes = kind == "v6" ? DatFixture.basic.version6() : DatFixture.basic.version7(.zstd)
        let path = temporaryDat([])
        defer { unlink(path) }
        var cuts = Array(stride(from: 0, to: bytes.count, by: 61)) + Array((bytes.count - 20)..<bytes.count)
        cuts.removeAll { $0 >= bytes.count }
        for cut in cuts {
            let f = fopen(path, "w")
            _ = bytes.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, cut, f) }
            fclose(f)
            do {
                _ = try TraceDatReader(path: path, name: "cut.dat")
                Issue.record("a copy cut at \(cut) of \(bytes.count) bytes was accepted")
            } catch {
                #expect(error.file == "cut.dat")
                #expect(!error.message.isEmpty)
            }
        }
    }

    @Test("Corrupt bytes anywhere give lines or a TraceInputError, never a crash (seeded)", arguments: [UInt64(1), 2, 3])
    func corruption(_ seed: UInt64) throws {
        var rng = SeededGenerator(seed: seed)
        let original = seed == 2 ? DatFixture.basic.version7(.zlib) : DatFixture.basic.version6()
        for _ in 0..<60 {
            var bytes = original
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            let path = temporaryDat(bytes)
            defer { unlink(path) }
            do {
                let reader = try TraceDatReader(path: path)
                try reader.text { _ in true }
            } catch {
                #expect(error.file == path)
            }
        }
    }

    @Test("A corrupt page is an error after the lines before it")
    func corruptPage() throws {
        var bytes = DatFixture.basic.version6()
        // CPU 1's only page is the last one: make its commit larger than a page.
        let page = bytes.count - DatFixture.pageSize
        bytes.replaceSubrange((page + 8)..<(page + 16), with: DatFixture.le(5000, 8))
        let path = temporaryDat(bytes)
        defer { unlink(path) }
        let source = try LineSource(path: path)
        var seen = 0
        let error = #expect(throws: TraceInputError.self) {
            try source.forEachLine { _ in seen += 1; return true }
        }
        #expect(error?.message.contains("CPU 1, ring-buffer page 0: a commit of 5000 bytes") == true, "\(String(describing: error))")
        #expect(seen >= 12)
    }
}
