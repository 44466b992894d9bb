extension CaptureBundle {
    /// Reads the bundle folder at `path`: its trace's name, `uname.txt`, `nproc.txt`, `start/` and
    /// `end/` (when present).
    ///
    /// - Parameter path: The bundle folder.
    /// - Throws: ``CaptureError`` when `path` is not a folder, a required `start/` file is missing
    ///   (the error names it), more than one trace candidate of the preferred kind exists, or a
    ///   parser refuses a file (the error names its path and line).
    /// - Complexity: O(total size of the state files); the trace is only named, not read.
    public init(path: String) throws(CaptureError) {
        guard FileSystem.isDirectory(path) else {
            throw CaptureError(file: path, line: nil, expected: "a capture bundle folder", found: "no such folder")
        }
        let trace = try Self.traceFile(in: path)
        let nprocPath = path + "/nproc.txt"
        let release = try Self.release(at: path)
        var cpus: Int?, end: ProcState?
        if FileSystem.isRegularFile(nprocPath) {
            cpus = try ProcParser.nproc(try FileSystem.readText(nprocPath), file: nprocPath)
        }
        // end/ is read on another thread while start/ is read here (a replay waits for its start
        // state; its end state is compared only once the trace is done). start/'s error, if
        // any, is the one reported, as when they were read one after the other.
        let endReading = FileSystem.isDirectory(path + "/end") ? BackgroundResult { () throws(CaptureError) in
            try ProcState(directory: path + "/end")
        } : nil
        let start: ProcState
        do { start = try ProcState(directory: path + "/start") } catch {
            _ = endReading?.value()
            throw error
        }
        end = try endReading?.value().get()
        self.init(path: path, trace: trace, release: release, cpus: cpus, start: start, end: end)
    }

    /// The kernel release of the bundle at `path`, from its `uname.txt`; nil when it has none.
    /// - Throws: ``CaptureError`` for a `uname.txt` that does not name a kernel release.
    public static func release(at path: String) throws(CaptureError) -> KernelRelease? {
        let unamePath = path + "/uname.txt"
        guard FileSystem.isRegularFile(unamePath) else { return nil }
        return try ProcParser.uname(try FileSystem.readText(unamePath), file: unamePath)
    }

    /// Whether `path` is a bundle folder: a folder whose `start/` holds `zoneinfo.txt`,
    /// `buddyinfo.txt` and `slabinfo.txt`.
    ///
    /// - Parameter path: The folder to look at.
    /// - Returns: True when ``init(path:)`` would find the required files (it may still refuse
    ///   their contents).
    public static func isBundle(path: String) -> Bool {
        FileSystem.isDirectory(path)
            && ProcState.requiredFiles.allSatisfy { FileSystem.isRegularFile(path + "/start/" + $0) }
    }

    /// The trace of the bundle at `path`: among its regular files named `trace.*`, the text one,
    /// else the trace.dat one.
    ///
    /// - Parameter path: The bundle folder.
    /// - Returns: The trace, or nil when the folder has no `trace.*` file.
    /// - Throws: ``CaptureError`` when two files of the chosen container exist (`trace.txt` and
    ///   `trace.txt.xz`): which one was meant cannot be told.
    /// - Complexity: O(entries of the folder).
    public static func traceFile(in path: String) throws(CaptureError) -> TraceFile? {
        let candidates = (FileSystem.entries(path) ?? [])
            .filter { $0.hasPrefix("trace.") && FileSystem.isRegularFile(path + "/" + $0) }
            .map { TraceFile(path: path + "/" + $0, name: $0) }
        for container in [TraceFile.Container.text, .traceDat] {
            let matching = candidates.filter { $0.container == container }
            if matching.count > 1 {
                throw CaptureError(file: path, line: nil, expected: "one trace.* file of a kind",
                                   found: matching.map(\.name).joined(separator: ", "))
            }
            if let only = matching.first { return only }
        }
        return nil
    }
}
