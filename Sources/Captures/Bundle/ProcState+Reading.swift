extension ProcState {
    /// The files a state folder must hold.
    public static let requiredFiles = ["zoneinfo.txt", "buddyinfo.txt", "slabinfo.txt"]

    /// Reads a bundle's `start/` or `end/` folder.
    ///
    /// `zoneinfo.txt`, `buddyinfo.txt` and `slabinfo.txt` are required; `pagetypeinfo.txt`,
    /// `vmallocinfo.txt`, `slab_sysfs.tsv`, `slab_aliases.tsv`, `pcp.tsv` and `meminfo.txt` are read
    /// when present. Errors name each file by its full path.
    ///
    /// - Parameter directory: The folder's path.
    /// - Throws: ``CaptureError`` naming a required file that is missing, or the file and line a
    ///   parser refused.
    /// - Complexity: O(total size of the files).
    public init(directory: String) throws(CaptureError) {
        let path = { (name: String) in directory + "/" + name }
        func optional<T>(_ name: String, _ parse: (String, String) throws(CaptureError) -> T) throws(CaptureError) -> T? {
            guard FileSystem.isRegularFile(path(name)) else { return nil }
            return try parse(try FileSystem.readText(path(name)), path(name))
        }
        for name in Self.requiredFiles where !FileSystem.isRegularFile(path(name)) {
            throw CaptureError(file: path(name), line: nil, expected: "the file \(name) (a required part of a state folder)",
                               found: "no such file")
        }
        // The two largest optional files are parsed on another thread meanwhile; their errors still
        // come in the order the files are listed (after pagetypeinfo's, before slab_aliases').
        let later = BackgroundResult { () throws(CaptureError) in
            func optional<T>(_ name: String, _ parse: (String, String) throws(CaptureError) -> T) throws(CaptureError) -> T? {
                let file = directory + "/" + name
                guard FileSystem.isRegularFile(file) else { return nil }
                return try parse(try FileSystem.readText(file), file)
            }
            return (try optional("vmallocinfo.txt", ProcParser.vmallocinfo), try optional("slab_sysfs.tsv", ProcParser.slabSysfs))
        }
        let buddyinfo = try ProcParser.buddyinfo(try FileSystem.readText(path("buddyinfo.txt")), file: path("buddyinfo.txt"))
        let slabinfo = try ProcParser.slabinfo(try FileSystem.readText(path("slabinfo.txt")), file: path("slabinfo.txt"))
        let zoneinfo = try ProcParser.zoneinfo(try FileSystem.readText(path("zoneinfo.txt")), file: path("zoneinfo.txt"))
        let pagetypeinfo = try optional("pagetypeinfo.txt", ProcParser.pagetypeinfo)
        let (vmallocinfo, slabSysfs) = try later.value().get()
        self.init(buddyinfo: buddyinfo, slabinfo: slabinfo, zoneinfo: zoneinfo, pagetypeinfo: pagetypeinfo,
                  vmallocinfo: vmallocinfo, slabSysfs: slabSysfs,
                  slabAliases: try optional("slab_aliases.tsv", ProcParser.slabAliases),
                  pcp: try optional("pcp.tsv", ProcParser.pcp),
                  meminfo: try optional("meminfo.txt", ProcParser.meminfo))
    }

    /// Parses a state from file texts, e.g. memtop's own rendering of its machine.
    ///
    /// Each text goes through the same parser as a real capture's file; the labels in errors are
    /// `origin` followed by the file's name (`memtop buddyinfo`).
    ///
    /// - Parameters:
    ///   - buddyinfo: `/proc/buddyinfo` text.
    ///   - slabinfo: `/proc/slabinfo` text.
    ///   - pagetypeinfo: `/proc/pagetypeinfo` text, if rendered.
    ///   - vmallocinfo: `/proc/vmallocinfo` text, if rendered.
    ///   - zoneinfo: `/proc/zoneinfo` text, if rendered.
    ///   - origin: What produced the texts, for error labels.
    /// - Returns: The parsed state.
    /// - Throws: ``CaptureError`` from the first parser that refuses its text.
    /// - Complexity: O(total size of the texts).
    public static func parse(buddyinfo: String, slabinfo: String, pagetypeinfo: String? = nil, vmallocinfo: String? = nil,
                             zoneinfo: String? = nil, origin: String = "memtop") throws(CaptureError) -> ProcState {
        let label = { (name: String) in origin + " " + name }
        var state = ProcState(buddyinfo: try ProcParser.buddyinfo(buddyinfo, file: label("buddyinfo")),
                              slabinfo: try ProcParser.slabinfo(slabinfo, file: label("slabinfo")))
        if let pagetypeinfo { state.pagetypeinfo = try ProcParser.pagetypeinfo(pagetypeinfo, file: label("pagetypeinfo")) }
        if let vmallocinfo { state.vmallocinfo = try ProcParser.vmallocinfo(vmallocinfo, file: label("vmallocinfo")) }
        if let zoneinfo { state.zoneinfo = try ProcParser.zoneinfo(zoneinfo, file: label("zoneinfo")) }
        return state
    }
}
