#if canImport(Glibc)
import Glibc
#endif
import HeapModel

/// Defaults from `$XDG_CONFIG_HOME/memtop/config` (or `~/.config/memtop/config`): `key = value`
/// lines for `cpus`, `ram`, `kernel`, `seed`, `theme` and `lessons` (a folder of a teacher's own
/// lessons, for `demo`); `#` starts a comment; LF or CRLF line
/// ends. Options given on the command line win.
///
/// The file is checked when it is read: only a regular file of at most ``maximumSize`` bytes, every
/// key known and every value valid, each problem reported at its line of the file. A subcommand is
/// given only the keys it takes (``keys(for:)``): `lessons` is for `demo` alone; `theme` sets the
/// viewer of `run`, `replay` and `demo`, and is not passed to `record`, `compare` or `quiz`.
public enum Config {
    /// The keys a config file may set.
    public static let keys = ["cpus", "ram", "kernel", "seed", "theme", "lessons"]

    /// The largest config file read, in bytes.
    public static let maximumSize = 64 << 10

    /// The keys `subcommand` takes as options (the machine's, and the theme where there is a viewer).
    /// - Parameter subcommand: A subcommand's name (`run`, `replay`, `record`, `demo`, `compare`, `quiz`).
    /// - Returns: The keys, in ``keys`` order; none for a subcommand that takes none (`workloads`).
    public static func keys(for subcommand: String) -> [String] {
        switch subcommand {
        case "demo": return keys
        case "run", "replay": return ["cpus", "ram", "kernel", "seed", "theme"]
        case "record", "compare", "quiz": return ["cpus", "ram", "kernel", "seed"]
        default: return []
        }
    }

    /// The config file's path.
    public static func path() -> String? {
        if let xdg = getenv("XDG_CONFIG_HOME"), xdg.pointee != 0 { return String(cString: xdg) + "/memtop/config" }
        if let home = getenv("HOME") { return String(cString: home) + "/.config/memtop/config" }
        return nil
    }

    /// The settings in `text`.
    /// - Parameters:
    ///   - text: The file's contents.
    ///   - file: The file's name, for messages.
    /// - Returns: The `(key, value)` pairs in file order.
    /// - Throws: ``RunFailure`` (exit 2) as `FILE:LINE: expected ..., found ...` for a line that is
    ///   not `key = value`, an unknown key or a value the key does not accept.
    public static func parse(_ text: String, file: String) throws -> [(String, String)] {
        var settings: [(String, String)] = []
        // Split on the scalar, not the Character: "\r\n" is one Character and would not split.
        for (n, raw) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = Substring(raw).prefix { $0 != "#" }.trimmingSpacesAndTabs
            if line.isEmpty { continue }
            func failure(_ message: String) -> RunFailure { RunFailure("\(file):\(n + 1): \(message)", exitCode: 2) }
            guard let eq = line.firstIndex(of: "=") else { throw failure("expected key = value, found \"\(line)\"") }
            let key = String(line[..<eq].trimmingSpacesAndTabs), value = String(line[line.index(after: eq)...].trimmingSpacesAndTabs)
            guard keys.contains(key) else {
                throw failure("expected one of \(keys.joined(separator: ", ")), found \"\(key)\"")
            }
            if let expected = problem(key: key, value: value) { throw failure("expected \(expected), found \"\(value)\"") }
            settings.append((key, value))
        }
        return settings
    }

    /// What `key` expects, when `value` is not that; nil when it is. The same checks as the
    /// options' own, so a value read here is never refused later as a command-line option.
    static func problem(key: String, value: String) -> String? {
        switch key {
        case "cpus":
            guard let n = Int(value), (1...MachineConfiguration.maximumCPUs).contains(n) else {
                return "a number of CPUs from 1 to \(MachineConfiguration.maximumCPUs)"
            }
        case "ram":
            guard let size = RAMSize(argument: value),
                  (MachineConfiguration.minimumRAM...MachineConfiguration.maximumRAM).contains(size.bytes) else {
                return "a RAM size from \(ByteSize.format(MachineConfiguration.minimumRAM)) to "
                    + "\(ByteSize.format(MachineConfiguration.maximumRAM)) (such as 512M or 4G)"
            }
        case "kernel":
            guard KernelVersion(argument: value) != nil else {
                return "a kernel of " + KernelVersion.allValueStrings.joined(separator: " or ")
            }
        case "seed":
            guard UInt64(value) != nil else { return "a seed from 0 to \(UInt64.max)" }
        case "theme":
            guard ThemeName(rawValue: value) != nil else {
                return "a theme of " + ThemeName.allCases.map(\.rawValue).joined(separator: " or ")
            }
        case "lessons":
            // The check `demo --lessons` makes, so that the file's line is named, not the option.
            guard !Lessons.traces(at: value).isEmpty else { return "a folder of .trace lesson files" }
        default:
            return nil
        }
        return nil
    }

    /// `arguments` with the config's defaults put in front of the subcommand's own options, for
    /// the subcommands that take them (so the command line, read later, wins). Each subcommand
    /// gets only the keys it takes.
    /// - Parameters:
    ///   - arguments: The command line, without the program name.
    ///   - settings: The config file's settings.
    /// - Returns: The command line to parse.
    public static func apply(to arguments: [String], settings: [(String, String)]) -> [String] {
        guard !settings.isEmpty else { return arguments }
        let subcommands = ["run", "replay", "record", "demo", "compare", "quiz"]
        let first = arguments.first
        if let first, !first.hasPrefix("-"), !subcommands.contains(first) {
            // Another subcommand (workloads, text), or a workload name for the default `run`.
            if ["workloads", "text", "help"].contains(first) { return arguments }
        }
        let subcommand = first.flatMap { subcommands.contains($0) ? $0 : nil }
        let taken = keys(for: subcommand ?? "run")
        let defaults = settings.filter { taken.contains($0.0) }.flatMap { ["--" + $0.0, $0.1] }
        if let subcommand {
            return [subcommand] + defaults + Array(arguments.dropFirst())
        }
        return ["run"] + defaults + arguments
    }

    /// Reads the config file if there is one.
    /// - Returns: Its settings; none when there is no file.
    /// - Throws: ``RunFailure`` (exit 2) as ``load(path:)`` does.
    public static func load() throws -> [(String, String)] {
        guard let path = path() else { return [] }
        return try load(path: path)
    }

    /// Reads the config file at `path`.
    /// - Parameter path: The file.
    /// - Returns: Its settings; none when it does not exist.
    /// - Throws: ``RunFailure`` (exit 2) naming the file when it is not a regular file (a FIFO would
    ///   block, a device could be endless), is over ``maximumSize`` bytes or cannot be read, or as
    ///   ``parse(_:file:)`` does.
    public static func load(path: String) throws -> [(String, String)] {
        // Non-blocking, so that opening a FIFO returns at once and fstat can refuse it.
        let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT || errno == ENOTDIR { return [] }
            throw RunFailure("\(path): cannot read: \(String(cString: strerror(errno)))", exitCode: 2)
        }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else {
            throw RunFailure("\(path): cannot read: \(String(cString: strerror(errno)))", exitCode: 2)
        }
        guard st.st_mode & S_IFMT == S_IFREG else {
            throw RunFailure("\(path): expected a regular file, found \(kind(st.st_mode))", exitCode: 2)
        }
        func tooLarge(_ size: Int) -> RunFailure {
            RunFailure("\(path): expected a config file of at most \(maximumSize) bytes, found \(size)", exitCode: 2)
        }
        guard Int(st.st_size) <= maximumSize else { throw tooLarge(Int(st.st_size)) }
        // Bytes first, decoded once: a UTF-8 character may straddle two reads. One byte more than
        // the limit tells a file that grew since fstat.
        var bytes = [UInt8](repeating: 0, count: maximumSize + 1)
        var count = 0
        while count < bytes.count {
            let n = bytes.withUnsafeMutableBytes { read(fd, $0.baseAddress! + count, $0.count - count) }
            if n < 0 && errno == EINTR { continue }
            guard n >= 0 else { throw RunFailure("\(path): cannot read: \(String(cString: strerror(errno)))", exitCode: 2) }
            if n == 0 { break }
            count += n
        }
        guard count <= maximumSize else { throw tooLarge(count) }
        return try parse(String(decoding: bytes[..<count], as: UTF8.self), file: path)
    }

    /// What a file of mode `mode` is, for a message.
    private static func kind(_ mode: mode_t) -> String {
        switch mode & S_IFMT {
        case S_IFIFO: return "a FIFO"
        case S_IFCHR: return "a character device"
        case S_IFBLK: return "a block device"
        case S_IFDIR: return "a directory"
        case S_IFSOCK: return "a socket"
        case S_IFLNK: return "a symbolic link"
        default: return "a special file"
        }
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
