/// A bundle's trace: the one file whose name starts with `trace.`.
///
/// The name tells only the container and the compression; what the text holds (ftrace text,
/// `trace-cmd report` text, `perf script` text) is for the trace reader to tell from the
/// contents. Names that merely start with `trace` (`trace-cmd-report.txt.xz`,
/// `trace_settings.txt`, `trace_per_cpu_stats.txt`) are other files of the bundle.
public struct TraceFile: Hashable, Sendable {
    /// The file's full path.
    public var path: String
    /// Its name within the bundle.
    public var name: String
    /// Text or trace.dat.
    public var container: Container
    /// Its compression.
    public var compression: Compression

    /// A trace file by name: `container` and `compression` follow from the suffixes of `name`.
    ///
    /// - Parameters:
    ///   - path: The full path.
    ///   - name: The file's name, e.g. `trace.dat.xz`.
    public init(path: String, name: String) {
        self.path = path
        self.name = name
        let suffixes = name.split(separator: ".").dropFirst()
        container = suffixes.first == "dat" ? .traceDat : .text
        switch suffixes.count > 1 ? suffixes.last : nil {
        case "gz": compression = .gzip
        case "xz": compression = .xz
        case "zst": compression = .zstd
        case "bz2": compression = .bzip2
        default: compression = .none
        }
    }
}
