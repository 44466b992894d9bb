@testable import Captures
import MemtopTestSupport
import Testing

/// The parsers on small hand-made texts: what they extract, and where they stop on bad input.
@Suite("ProcParser")
struct ProcParserTests {
    @Test("zoneinfo: sizes, watermarks, protection, counters, pagesets; the empty zone flagged")
    func zoneinfo() throws {
        let zones = try ProcParser.zoneinfo(Fixtures.zoneinfo)
        try #require(zones.count == 2)
        let dma32 = zones[0]
        #expect(dma32.name == "DMA32" && dma32.node == 0 && dma32.startPFN == 4096 && !dma32.isEmpty)
        #expect(dma32.spanned == 4096 && dma32.present == 4000 && dma32.managed == 3900 && dma32.freePages == 1000)
        #expect(dma32.watermarks == ZoneWatermarks(min: 100, low: 125, high: 150, boost: 0, promo: nil))
        #expect(dma32.protection == [0, 0, 0])
        #expect(dma32.counters["numa_hit"] == 61786 && dma32.counters["cma"] == 0)
        #expect(dma32.nodeCounters["nr_slab_unreclaimable"] == 2706)
        #expect(dma32.pagesets == [
            PCPList(node: 0, zone: "DMA32", cpu: 0, count: 12, high: 300, batch: 63, vmStatsThreshold: 16),
            PCPList(node: 0, zone: "DMA32", cpu: 1, count: 7, high: 300, batch: 63, vmStatsThreshold: 16),
        ])
        #expect(dma32.nodeUnreclaimable == 0)
        let movable = zones[1]
        #expect(movable.isEmpty && movable.startPFN == nil && movable.pagesets.isEmpty && movable.watermarks.promo == 32)
    }

    @Test("buddyinfo: counts per order, free pages and free pages of order >= 3")
    func buddyinfo() throws {
        let zones = try ProcParser.buddyinfo(Fixtures.buddyinfo)
        #expect(zones == [BuddyInfoZone(node: 0, zone: "DMA32", freeBlocks: [2, 1, 1, 0, 0, 1, 1, 1, 1, 1, 0])])
        #expect(zones.first?.freePages == 1000 && zones.first?.freePages(fromOrder: 3) == 992)
    }

    @Test("pagetypeinfo: both tables, looked up by zone and migratetype")
    func pagetypeinfo() throws {
        let info = try ProcParser.pagetypeinfo(Fixtures.pagetypeinfo)
        #expect(info.pageblockOrder == 9 && info.pagesPerBlock == 512 && info.blockTypes == ["Unmovable", "Movable"])
        #expect(info.freeBlocks(zone: "DMA32", migrateType: "Movable") == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0])
        #expect(info.pageblocks(zone: "DMA32", migrateType: "Movable") == 6)
        #expect(info.pageblocks(zone: "DMA", migrateType: "Movable") == nil && info.mixedBlockCounts.isEmpty)
    }

    @Test("slabinfo: the eight columns of each row")
    func slabinfo() throws {
        let rows = try ProcParser.slabinfo(Fixtures.slabinfo)
        #expect(rows.map(\.name) == ["kmalloc-64", "dentry", "task_struct"])
        #expect(rows.last == SlabInfoRow(name: "task_struct", activeObjects: 40, objects: 42, objectSize: 6400,
                                         objectsPerSlab: 5, pagesPerSlab: 8, activeSlabs: 9, slabs: 9))
        #expect(rows.last?.pages == 72)
    }

    @Test("slab_sysfs.tsv: totals of per-node and per-CPU values, objects(slabs), NA")
    func slabSysfs() throws {
        let text = "cache\tobjects\tslabs_cpu_partial\tpartial\torder\n"
            + ":0000064\t11136 N0=11136\t170(2) C0=85(1) C1=85(1)\tNA\t0\n"
        let rows = try ProcParser.slabSysfs(text)
        #expect(rows.count == 1 && rows.first?.isMerged == true)
        #expect(rows.first?.values == ["objects": .number(11136), "slabs_cpu_partial": .objectsAndSlabs(objects: 170, slabs: 2),
                                       "partial": .notAvailable, "order": .number(0)])
        #expect(rows.first?.number("slabs_cpu_partial") == 170 && rows.first?.number("partial") == nil)
    }

    @Test("slab_aliases.tsv, pcp.tsv and meminfo")
    func smallTables() throws {
        #expect(try ProcParser.slabAliases("alias\ttarget\nAcpi-Namespace\t:0000048\n")
            == [SlabAlias(alias: "Acpi-Namespace", target: ":0000048")])
        #expect(try ProcParser.pcp("node\tzone\tcpu\tcount\thigh\tbatch\tvm_stats_threshold\n0\tDMA32\t1\t338\t6928\t63\tNA\n")
            == [PCPList(node: 0, zone: "DMA32", cpu: 1, count: 338, high: 6928, batch: 63, vmStatsThreshold: nil)])
        let info = try ProcParser.meminfo("MemTotal:         981440 kB\nHugePages_Total:       0\n")
        #expect(info["MemTotal"] == 981440 && info.counts == ["HugePages_Total": 0] && info.keys == ["MemTotal", "HugePages_Total"])
    }

    @Test("vmallocinfo: ranges, callers with their module, pages=, phys=, kinds, nodes")
    func vmallocinfo() throws {
        let areas = try ProcParser.vmallocinfo(Fixtures.vmallocinfo)
        try #require(areas.count == 5)
        #expect(areas[0] == VmallocArea(start: 0xff42_4263_c001_0000, end: 0xff42_4263_c001_5000, size: 20480,
                                        caller: "kernel_clone+0xbf/0x430", pages: 4, physicalAddress: nil, kinds: ["vmalloc"],
                                        nodePages: [NodePages(node: 0, pages: 4)]))
        #expect(areas[1].physicalAddress == 0x3ffe_2000 && areas[1].kinds == ["ioremap"] && areas[1].pages == nil)
        #expect(areas[2].caller == "vp_modern_map_capability+0x148/0x1d0 [virtio_pci_modern_dev]")
        #expect(areas[3].kinds == ["vmalloc", "vpages"])
        #expect(areas[4].isUnpurged && areas[4].caller == nil && areas[4].kinds == ["unpurged vm_area"])
        #expect(try ProcParser.vmallocinfo("").isEmpty)
    }

    @Test("Lines, fields and cells are cut at the same bytes as the standard split, over seeded random text")
    func byteSplitMatchesSplit() {
        var rng = SeededGenerator(seed: 12)
        let alphabet: [String] = [" ", "\t", "\n", "a", "b", "7", "é", "\r", "  ", "\t\t"]
        for _ in 0..<500 {
            let text = Substring((0..<Int.random(in: 0..<40, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! }.joined())
            let spaces = { (b: UInt8) in b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") }
            #expect(text.pieces(omittingEmpty: true, spaces) == text.utf8.split(whereSeparator: spaces).map(Substring.init))
            #expect(text.pieces(omittingEmpty: false) { $0 == UInt8(ascii: "\t") }
                    == text.utf8.split(separator: UInt8(ascii: "\t"), omittingEmptySubsequences: false).map(Substring.init))
            #expect(text.pieces(omittingEmpty: false) { $0 == UInt8(ascii: "\n") }
                    == text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map(Substring.init))
        }
    }

    @Test("A file saved with CRLF line ends reads as the same lines; non-ASCII text stays whole")
    func crlfLines() throws {
        let lf = try ProcParser.vmallocinfo(Fixtures.vmallocinfo)
        let crlf = Fixtures.vmallocinfo.split(separator: "\n", omittingEmptySubsequences: false).joined(separator: "\r\n")
        #expect(try ProcParser.vmallocinfo(crlf) == lf)
        #expect(try ProcParser.slabAliases("alias\ttarget\r\nAcpi-Namespace\t:0000048\r\n")
            == [SlabAlias(alias: "Acpi-Namespace", target: ":0000048")])
        // A caller with a non-ASCII byte sequence is cut only at ASCII spaces.
        let areas = try ProcParser.vmallocinfo("0xffffc90000000000-0xffffc90000005000   20480 caf\u{e9}_init+0x1/0x2 pages=4 vmalloc\n")
        #expect(areas.first?.caller == "caf\u{e9}_init+0x1/0x2" && areas.first?.pages == 4)
    }

    @Test("uname and nproc", arguments: [
        ("Linux (none) 6.1.0-56-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-2 (2026-11-16) x86_64 GNU/Linux\n", "6.1.0-56-amd64", 6, 1),
        ("Linux (none) 6.12.117+deb12-amd64 #1 SMP PREEMPT_DYNAMIC Debian 6.12.117-1~deb12u1 x86_64 GNU/Linux\n",
         "6.12.117+deb12-amd64", 6, 12),
        ("6.18.0\n", "6.18.0", 6, 18),
    ])
    func uname(_ text: String, release: String, major: Int, minor: Int) throws {
        #expect(try ProcParser.uname(text) == KernelRelease(release: release, major: major, minor: minor))
        #expect(try ProcParser.nproc("2\n") == 2)
    }

    @Test("Malformed input: a CaptureError naming the file, the line, what was expected and what was found",
          arguments: MalformedCase.all)
    func malformed(_ example: MalformedCase) {
        do {
            try example.parser.parse(example.text)
            Issue.record("\(example) parsed")
        } catch {
            #expect(error.file == example.parser.defaultFile)
            #expect(error.line == example.line)
            #expect(error.found.contains(example.found), "found: \(error.found)")
            #expect(error.description.hasPrefix(example.parser.defaultFile + (error.line.map { ":\($0)" } ?? "") + ": expected "))
        }
    }

    @Test("The message reads FILE:LINE: expected ..., found ...")
    func message() {
        let error = CaptureError(file: "start/zoneinfo.txt", line: 12, expected: "a number", found: "\"x\"")
        #expect(error.description == "start/zoneinfo.txt:12: expected a number, found \"x\"")
        #expect(CaptureError(file: "f", line: nil, expected: "a file", found: "no such file").description
            == "f: expected a file, found no such file")
    }
}

/// A parser, by the file it reads.
enum ParserKind: String, Sendable {
    case uname, nproc, zoneinfo, buddyinfo, pagetypeinfo, slabinfo, slabSysfs, slabAliases, vmallocinfo, pcp, meminfo

    /// The file label the parser uses by default.
    var defaultFile: String {
        switch self {
        case .slabSysfs: return "slab_sysfs.tsv"
        case .slabAliases: return "slab_aliases.tsv"
        case .pcp: return "pcp.tsv"
        default: return rawValue + ".txt"
        }
    }

    /// Runs the parser, discarding its result.
    func parse(_ text: String) throws(CaptureError) {
        switch self {
        case .uname: _ = try ProcParser.uname(text)
        case .nproc: _ = try ProcParser.nproc(text)
        case .zoneinfo: _ = try ProcParser.zoneinfo(text)
        case .buddyinfo: _ = try ProcParser.buddyinfo(text)
        case .pagetypeinfo: _ = try ProcParser.pagetypeinfo(text)
        case .slabinfo: _ = try ProcParser.slabinfo(text)
        case .slabSysfs: _ = try ProcParser.slabSysfs(text)
        case .slabAliases: _ = try ProcParser.slabAliases(text)
        case .vmallocinfo: _ = try ProcParser.vmallocinfo(text)
        case .pcp: _ = try ProcParser.pcp(text)
        case .meminfo: _ = try ProcParser.meminfo(text)
        }
    }
}

/// A text one parser must refuse, and where.
struct MalformedCase: Sendable, CustomTestStringConvertible {
    let parser: ParserKind
    let what: String
    let text: String
    let line: Int?
    /// Text the error's `found` must contain.
    let found: String

    var testDescription: String { "\(parser.rawValue): \(what)" }

    /// Replaces the first `old` in `text` with `new`.
    static func edit(_ text: String, _ old: String, _ new: String) -> String {
        // An edit that finds nothing would make the case test the fixture itself; the NUL makes
        // every parser refuse it on another line than expected, so the case fails loudly.
        guard text.contains(old) else { return text + "\u{0}missing " + old }
        return text.replacing(old, with: new, maxReplacements: 1)
    }

    static let all: [MalformedCase] = [
        MalformedCase(parser: .zoneinfo, what: "a letter in managed", text: edit(Fixtures.zoneinfo, "managed  3900", "managed  39x0"),
                      line: 12, found: "39x0"),
        MalformedCase(parser: .zoneinfo, what: "no managed line", text: edit(Fixtures.zoneinfo, "        managed  3900\n", ""),
                      line: 1, found: "Node 0, zone  Movable"),
        MalformedCase(parser: .zoneinfo, what: "a pageset without batch",
                      text: edit(Fixtures.zoneinfo, "              batch: 63\n  vm stats threshold: 16\n    cpu: 1", "    cpu: 1"),
                      line: 18, found: "none"),
        MalformedCase(parser: .zoneinfo, what: "text before the first zone", text: "hello\n" + Fixtures.zoneinfo, line: 1,
                      found: "hello"),
        MalformedCase(parser: .zoneinfo, what: "an empty file", text: "", line: 1, found: "end of file"),
        MalformedCase(parser: .zoneinfo, what: "a broken protection line",
                      text: edit(Fixtures.zoneinfo, "protection: (0, 0, 0)", "protection: 0, 0, 0"), line: 14, found: "protection"),
        MalformedCase(parser: .buddyinfo, what: "a line with fewer orders",
                      text: Fixtures.buddyinfo + "Node 0, zone   Normal      1      2\n", line: 2, found: "Normal"),
        MalformedCase(parser: .buddyinfo, what: "a negative count", text: "Node 0, zone DMA 1 -2 3\n", line: 1, found: "-2"),
        MalformedCase(parser: .buddyinfo, what: "no zone name", text: "\nNode 0 zone DMA 1 2 3\n", line: 2, found: "Node 0 zone"),
        MalformedCase(parser: .pagetypeinfo, what: "a free row with a count missing",
                      text: edit(Fixtures.pagetypeinfo, "Unmovable      2      1", "Unmovable      2"), line: 5, found: "Unmovable"),
        MalformedCase(parser: .pagetypeinfo, what: "no block table",
                      text: "Page block order: 9\nPages per block:  512\n\nFree pages count per migrate type at order 0 1\n"
                          + "Node 0, zone DMA, type Movable 1 2\n", line: 6, found: "end of file"),
        MalformedCase(parser: .slabinfo, what: "another version", text: edit(Fixtures.slabinfo, "2.1", "2.0"), line: 1,
                      found: "version: 2.0"),
        MalformedCase(parser: .slabinfo, what: "a row without slabdata", text: edit(Fixtures.slabinfo, ": slabdata     20", ": xxx     20"),
                      line: 4, found: "dentry"),
        MalformedCase(parser: .slabinfo, what: "a letter in num_slabs", text: edit(Fixtures.slabinfo, "9      9      0", "9      9z     0"),
                      line: 5, found: "9z"),
        MalformedCase(parser: .slabSysfs, what: "a row with a cell too few", text: "cache\tobjects\torder\nfoo\t3 N0=3\n", line: 2,
                      found: "foo"),
        MalformedCase(parser: .slabSysfs, what: "a value of no known shape", text: "cache\tobjects\norder\t3x N0=3\n", line: 2,
                      found: "3x"),
        MalformedCase(parser: .slabSysfs, what: "a header not starting with cache", text: "name\tobjects\n", line: 1, found: "name"),
        MalformedCase(parser: .slabAliases, what: "another header", text: "alias\tdir\n", line: 1, found: "alias"),
        MalformedCase(parser: .slabAliases, what: "a line without target", text: "alias\ttarget\nfoo\n", line: 2, found: "foo"),
        MalformedCase(parser: .vmallocinfo, what: "a bad start address",
                      text: edit(Fixtures.vmallocinfo, "0xff424263c0005000-", "0xff42z263c0005000-"), line: 2, found: "0xff42z263c0005000"),
        MalformedCase(parser: .vmallocinfo, what: "pages= not a number", text: edit(Fixtures.vmallocinfo, "pages=8", "pages=eight"),
                      line: 4, found: "eight"),
        MalformedCase(parser: .vmallocinfo, what: "an end below the start", text: "0x2000-0x1000 4096 foo+0x1/0x2 vmap\n", line: 1,
                      found: "0x2000-0x1000"),
        MalformedCase(parser: .pcp, what: "another header", text: "node\tzone\tcpu\n", line: 1, found: "node"),
        MalformedCase(parser: .pcp, what: "a bad count",
                      text: "node\tzone\tcpu\tcount\thigh\tbatch\tvm_stats_threshold\n0\tDMA\t0\tmany\t111\t1\t4\n", line: 2, found: "many"),
        MalformedCase(parser: .meminfo, what: "a key without colon", text: "MemTotal:  1 kB\nMemFree 12 kB\n", line: 2, found: "MemFree"),
        MalformedCase(parser: .meminfo, what: "a repeated key", text: "MemTotal:  1 kB\nMemTotal:  2 kB\n", line: 2, found: "MemTotal"),
        MalformedCase(parser: .uname, what: "no release", text: "Linux host notaversion #1\n", line: 1, found: "notaversion"),
        MalformedCase(parser: .uname, what: "an empty file", text: "\n", line: 2, found: "end of file"),
        MalformedCase(parser: .nproc, what: "zero CPUs", text: "0\n", line: 1, found: "0"),
    ]
}
