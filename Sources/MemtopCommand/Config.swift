#if canImport(Glibc)
import Glibc
#endif

/// Defaults from `$XDG_CONFIG_HOME/memtop/config` (or `~/.config/memtop/config`): `key = value`
/// lines for `cpus`, `ram`, `kernel`, `seed` and `theme`; `#` starts a comment. Options given on the
/// command line win.
public enum Config {
    /// The keys a config file may set.
    public static let keys = ["cpus", "ram", "kernel", "seed", "theme"]

    /// The config file's path.
    public static func path() -> String? {
        if let xdg = getenv("XDG_CONFIG_HOME"), xdg.pointee != 0 { return String(cString: xdg) + "/memtop/config" }
        if let home = getenv("HOME") { return String(cString: home) + "/.config/memtop/config" }
        return nil
    }

    /// The settings in `text`; unknown keys and malformed lines are reported.
    public static func parse(_ text: String, file: String) throws -> [(String, String)] {
        var settings: [(String, String)] = []
        for (n, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.prefix { $0 != "#" }.trimmingSpacesAndTabs
            if line.isEmpty { continue }
            guard let eq = line.firstIndex(of: "=") else { throw RunFailure("\(file):\(n + 1): expected key = value, found \"\(line)\"", exitCode: 2) }
            let key = line[..<eq].trimmingSpacesAndTabs, value = line[line.index(after: eq)...].trimmingSpacesAndTabs
            guard keys.contains(String(key)) else {
                throw RunFailure("\(file):\(n + 1): expected one of \(keys.joined(separator: ", ")), found \"\(key)\"", exitCode: 2)
            }
            settings.append((String(key), String(value)))
        }
        return settings
    }

    /// `arguments` with the config's defaults put in front of the subcommand's own options, for
    /// the subcommands that take them (so the command line, read later, wins).
    public static func apply(to arguments: [String], settings: [(String, String)]) -> [String] {
        guard !settings.isEmpty else { return arguments }
        let subcommands = ["run", "replay", "record", "demo", "compare"]
        let first = arguments.first
        if let first, !first.hasPrefix("-"), !subcommands.contains(first) {
            // Another subcommand (workloads), or a workload name for the default `run`.
            if ["workloads", "help"].contains(first) { return arguments }
        }
        let defaults = settings.flatMap { ["--" + $0.0, $0.1] }
        if let first, subcommands.contains(first) {
            return [first] + defaults + Array(arguments.dropFirst())
        }
        return ["run"] + defaults + arguments
    }

    /// Reads the config file if there is one.
    public static func load() throws -> [(String, String)] {
        guard let path = path(), let f = fopen(path, "r") else { return [] }
        defer { fclose(f) }
        // Bytes first, decoded once: a UTF-8 character may straddle two reads.
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while case let n = fread(&buffer, 1, buffer.count, f), n > 0 { bytes += buffer[..<n] }
        let text = String(decoding: bytes, as: UTF8.self)
        return try parse(text, file: path)
    }
}

extension Substring {
    var trimmingSpacesAndTabs: Substring {
        var s = self
        while let f = s.first, f == " " || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\t" || l == "\r" { s = s.dropLast() }
        return s
    }
}
