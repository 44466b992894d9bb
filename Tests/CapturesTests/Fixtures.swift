#if canImport(Glibc)
import Glibc
#endif

/// Small hand-made /proc texts in the kernel's layouts, for malformed-input and comparison tests.
enum Fixtures {
    /// A zoneinfo with a populated DMA32 zone (two CPUs) and an empty Movable zone.
    static let zoneinfo = """
        Node 0, zone    DMA32
          per-node stats
              nr_inactive_anon 7676
              nr_slab_unreclaimable 2706
          pages free     1000
                boost    0
                min      100
                low      125
                high     150
                spanned  4096
                present  4000
                managed  3900
                cma      0
                protection: (0, 0, 0)
              nr_free_pages 1000
              numa_hit     61786
          pagesets
            cpu: 0
                      count: 12
                      high:  300
                      batch: 63
          vm stats threshold: 16
            cpu: 1
                      count: 7
                      high:  300
                      batch: 63
          vm stats threshold: 16
          node_unreclaimable:  0
          start_pfn:           4096
        Node 0, zone  Movable
          pages free     0
                boost    0
                min      32
                low      32
                high     32
                promo    32
                spanned  0
                present  0
                managed  0
                cma      0
                protection: (0, 0, 0)

        """

    /// A buddyinfo of one zone: 1000 free pages, 992 of them in blocks of order ≥ 3.
    static let buddyinfo = "Node 0, zone    DMA32      2      1      1      0      0      1      1      1      1      1      0 \n"

    /// A pagetypeinfo matching ``buddyinfo``.
    static let pagetypeinfo = """
        Page block order: 9
        Pages per block:  512

        Free pages count per migrate type at order       0      1      2      3      4      5      6      7      8      9     10 
        Node    0, zone    DMA32, type    Unmovable      2      1      1      0      0      0      0      0      0      0      0 
        Node    0, zone    DMA32, type      Movable      0      0      0      0      0      1      1      1      1      1      0 

        Number of blocks type     Unmovable      Movable 
        Node 0, zone    DMA32            2            6 

        """

    /// A slabinfo of three caches.
    static let slabinfo = """
        slabinfo - version: 2.1
        # name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>
        kmalloc-64          1000   1024     64   64    1 : tunables    0    0    0 : slabdata     16     16      0
        dentry               400    420    192   21    1 : tunables    0    0    0 : slabdata     20     20      0
        task_struct           40     42   6400    5    8 : tunables    0    0    0 : slabdata      9      9      0

        """

    /// A vmallocinfo with a vmalloc area, an ioremap, a module caller and an unpurged area.
    static let vmallocinfo = """
        0xff424263c0010000-0xff424263c0015000   20480 kernel_clone+0xbf/0x430 pages=4 vmalloc N0=4
        0xff424263c0005000-0xff424263c0007000    8192 acpi_os_map_iomem+0x1b6/0x1d0 phys=0x000000003ffe2000 ioremap
        0xff424263c004d000-0xff424263c004f000    8192 vp_modern_map_capability+0x148/0x1d0 [virtio_pci_modern_dev] phys=0x00000000febf0000 ioremap
        0xff424263c0100000-0xff424263c0109000   36864 bpf_map_area_alloc+0x20/0x30 pages=8 vmalloc vpages N0=8
        0xff6cda29405c8000-0xff6cda29405cd000   20480 unpurged vm_area

        """
}

/// A folder under /tmp, removed with everything in it when the value is done with.
final class TemporaryFolder {
    /// The folder's path.
    let path: String

    /// Makes a fresh folder; nil when /tmp refuses.
    init?() {
        var template = Array("/tmp/captures-test-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ buffer in
            buffer.baseAddress.flatMap { mkdtemp($0) }
        }) else { return nil }
        path = String(cString: made)
    }

    /// Writes `text` to `name` (creating sub-folders named in it).
    func write(_ name: String, _ text: String) {
        let full = path + "/" + name
        makeFolders(String(full[..<(full.lastIndex(of: "/") ?? full.endIndex)]))
        guard let file = fopen(full, "w") else { return }
        fputs(text, file)
        fclose(file)
    }

    /// Makes `folder` and its parents below ``path``.
    func makeFolders(_ folder: String) {
        guard folder.count > path.count else { return }
        makeFolders(String(folder[..<(folder.lastIndex(of: "/") ?? folder.startIndex)]))
        mkdir(folder, 0o755)
    }

    /// Writes a `start/` (and `end/`) state from the fixtures, leaving out the files named in `omitting`.
    func writeState(_ folder: String, omitting: Set<String> = []) {
        let files = ["zoneinfo.txt": Fixtures.zoneinfo, "buddyinfo.txt": Fixtures.buddyinfo, "slabinfo.txt": Fixtures.slabinfo,
                     "pagetypeinfo.txt": Fixtures.pagetypeinfo, "vmallocinfo.txt": Fixtures.vmallocinfo]
        for (name, text) in files where !omitting.contains(name) { write(folder + "/" + name, text) }
    }

    deinit {
        // Test folders hold a few small files two levels deep at most.
        removeTree(path)
    }

    private func removeTree(_ folder: String) {
        if let directory = opendir(folder) {
            while let entry = readdir(directory) {
                let name = withUnsafeBytes(of: entry.pointee.d_name) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
                guard name != "." && name != ".." else { continue }
                let child = folder + "/" + name
                if unlink(child) != 0 { removeTree(child) }
            }
            closedir(directory)
        }
        rmdir(folder)
    }
}
