import Traces

#if canImport(Glibc)
import Glibc
#endif

/// Where each target's seed inputs come from: the real captures in `shared/` beside the
/// repository, and the repository's own lessons.
public enum FuzzSeeds {
    /// A valid config file using every key, for the config target (its lessons are the
    /// repository's, under `root`).
    public static func config(root: String) -> String {
        "# memtop settings\ncpus = 4\nram = 2G\nkernel = 6.12\nseed = 9\ntheme = projector\nlessons = \(root)/assets/lessons\n"
    }

    /// The file a text target's seed lines come from, under the repository `root`.
    public static func path(_ target: FuzzTarget, root: String) -> String? {
        let formats = root + "/../shared/traces/formats/6.1-mix/"
        switch target {
        case .ftrace: return root + "/../shared/traces/real/qemu-6.1.0-56-amd64-boot.trace.txt.xz"
        case .perf: return formats + "perf-script-g.txt.xz"
        case .traceCmd: return formats + "trace-cmd-report.txt.xz"
        case .native: return root + "/assets/lessons/7-contract.trace"
        case .config: return nil
        case .traceDat: return formats + "trace-v7.dat.xz"
        }
    }

    /// The first `count` lines of a text target's seed (the config target's is built in).
    public static func lines(_ target: FuzzTarget, root: String, count: Int) -> [String] {
        if target == .config { return config(root: root).split(separator: "\n", omittingEmptySubsequences: false).map(String.init) }
        guard let path = path(target, root: root), let source = try? LineSource(path: path) else { return [] }
        var lines: [String] = []
        while lines.count < count, let line = try? source.nextLine() { lines.append(String(line)) }
        return lines
    }

    /// A binary target's seed: `path(_:root:)` decompressed whole (version 7 with zstd sections
    /// for `trace.dat`, or version 6 with `v6: true`). Empty when it cannot be read.
    public static func bytes(_ target: FuzzTarget, root: String, v6: Bool = false) -> [UInt8] {
        guard target.isBinary else { return [] }
        let path = root + "/../shared/traces/formats/6.1-mix/" + (v6 ? "trace-v6-native-short.dat.xz" : "trace-v7.dat.xz")
        guard access(path, R_OK) == 0, let pipe = popen("xz -dc -- '\(path)' 2>/dev/null", "r") else { return [] }
        var out: [UInt8] = []
        var block = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = block.withUnsafeMutableBufferPointer { fread($0.baseAddress, 1, $0.count, pipe) }
            if n <= 0 { break }
            out.append(contentsOf: block[..<n])
        }
        return pclose(pipe) == 0 ? out : []
    }
}
