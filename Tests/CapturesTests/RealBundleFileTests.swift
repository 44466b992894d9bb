import Captures
import Testing

/// The parsers of the smaller files (vmallocinfo, pcp.tsv, uname.txt, nproc.txt) on the shared
/// bundles.
@Suite("Real bundles: vmallocinfo, pcp.tsv, uname, nproc", .enabled(if: SharedBundles.available, SharedBundles.skipReason))
struct RealBundleFileTests {
    @Test("vmallocinfo: one area per line, size = end - start, pages= split over nodes, kinds known",
          arguments: SharedBundles.stateFolders)
    func vmallocinfo(_ folder: StateFolder) throws {
        let text = folder.text("vmallocinfo.txt")
        let areas = try ProcParser.vmallocinfo(text)
        #expect(areas.count == text.split(separator: "\n").count)
        #expect(areas.allSatisfy { UInt64($0.size) == $0.end - $0.start })
        for area in areas where area.pages != nil {
            #expect(area.nodePages.reduce(0) { $0 + $1.pages } == area.pages)
            #expect(area.kinds.contains("vmalloc"))
            // The size includes the guard page.
            #expect(area.size >= ((area.pages ?? 0) + 1) * 4096)
        }
        let known: Set<String> = ["vmalloc", "vmap", "ioremap", "user", "vpages", VmallocArea.unpurgedKind]
        #expect(areas.allSatisfy { !$0.kinds.isEmpty && $0.kinds.allSatisfy(known.contains) })
        #expect(areas.filter { $0.kinds.contains("ioremap") }.allSatisfy { $0.physicalAddress != nil })
        #expect(areas.filter(\.isUnpurged).allSatisfy { $0.caller == nil && $0.pages == nil })
        // 6.1 maps virtio-pci's BARs from the virtio_pci_modern_dev module; 6.12 has it built in.
        let moduleCallers = areas.filter { $0.caller?.hasSuffix(" [virtio_pci_modern_dev]") == true }.count
        #expect(folder.bundle.hasSuffix("6.12-build") ? moduleCallers == 0 : moduleCallers > 0)
    }

    @Test("pcp.tsv equals zoneinfo's pagesets", arguments: SharedBundles.stateFolders)
    func pcp(_ folder: StateFolder) throws {
        let lists = try ProcParser.pcp(folder.text("pcp.tsv"))
        let zones = try ProcParser.zoneinfo(folder.text("zoneinfo.txt"))
        #expect(lists == zones.flatMap(\.pagesets))
        #expect(lists.count == 4)
    }

    @Test("uname maps the Debian releases to 6.1 and 6.12; nproc is 2 where recorded", arguments: SharedBundles.names)
    func uname(_ name: String) throws {
        let release = try ProcParser.uname(try #require(SharedBundles.text(SharedBundles.path(name) + "/uname.txt")))
        if name.hasSuffix("6.12-build") {
            #expect(release == KernelRelease(release: "6.12.117+deb12-amd64", major: 6, minor: 12))
        } else {
            #expect(release == KernelRelease(release: "6.1.0-56-amd64", major: 6, minor: 1))
        }
        #expect(release.series == (name.hasSuffix("6.12-build") ? "6.12" : "6.1"))
        // formats/6.1-mix was recorded without nproc.txt.
        if let text = SharedBundles.text(SharedBundles.path(name) + "/nproc.txt") {
            #expect(try ProcParser.nproc(text) == 2)
        } else {
            #expect(name == "formats/6.1-mix")
        }
    }
}
