import MemtopCommand
import TerminalUI
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Config file and themes")
struct ConfigTests {
    @Test("key = value lines with comments; unknown keys are errors naming the line")
    func parsing() throws {
        let settings = try Config.parse("# memtop defaults\ncpus = 16\n\nram=512M # a comment\ntheme = projector\n", file: "config")
        #expect(settings.map(\.0) == ["cpus", "ram", "theme"])
        #expect(settings.map(\.1) == ["16", "512M", "projector"])
        let unknown = #expect(throws: RunFailure.self) { try Config.parse("colour = red\n", file: "config") }
        #expect(unknown?.message == "config:1: expected one of cpus, ram, kernel, seed, theme, lessons, found \"colour\"")
        #expect(unknown?.exitCode == 2)
        let noEquals = #expect(throws: RunFailure.self) { try Config.parse("# a comment\ncpus\n", file: "config") }
        #expect(noEquals?.message == "config:2: expected key = value, found \"cpus\"")
    }

    @Test("A bad value is reported at its line of the config file, not as a command-line option",
          arguments: [
              ("cpus = lots", "expected a number of CPUs from 1 to 1024, found \"lots\""),
              ("cpus = 0", "expected a number of CPUs from 1 to 1024, found \"0\""),
              ("ram = 12Q", "expected a RAM size from 128M to 64G (such as 512M or 4G), found \"12Q\""),
              ("ram = 64K", "expected a RAM size from 128M to 64G (such as 512M or 4G), found \"64K\""),
              ("kernel = 5.4", "expected a kernel of 6.1 or 6.12 or 6.18, found \"5.4\""),
              ("seed = -1", "expected a seed from 0 to 18446744073709551615, found \"-1\""),
              ("theme = neon", "expected a theme of default or projector, found \"neon\""),
              ("theme =", "expected a theme of default or projector, found \"\""),
              // A folder without lessons: `demo --lessons` would refuse it, so the file's line says so.
              ("lessons = /", "expected a folder of .trace lesson files, found \"/\""),
              ("lessons = /nonexistent-memtop", "expected a folder of .trace lesson files, found \"/nonexistent-memtop\""),
          ])
    func badValues(line: String, message: String) {
        let failure = #expect(throws: RunFailure.self) { try Config.parse("# defaults\n\(line)\n", file: "/home/u/.config/memtop/config") }
        #expect(failure?.message == "/home/u/.config/memtop/config:2: " + message)
        #expect(failure?.exitCode == 2)
    }

    @Test("CRLF line endings are read as line ends")
    func crlf() throws {
        let settings = try Config.parse("# defaults\r\ncpus = 16\r\nram = 512M # comment\r\ntheme = projector\r\n", file: "config")
        #expect(settings.map(\.0) == ["cpus", "ram", "theme"])
        #expect(settings.map(\.1) == ["16", "512M", "projector"])
        let bad = #expect(throws: RunFailure.self) { try Config.parse("cpus = 4\r\nseed = x\r\n", file: "c") }
        #expect(bad?.message == "c:2: expected a seed from 0 to 18446744073709551615, found \"x\"")
    }

    @Test("A key a subcommand does not take is not given to it (theme for record and compare)")
    func keysPerSubcommand() throws {
        let settings = [("theme", "projector"), ("cpus", "4")]
        #expect(Config.apply(to: ["record", "idle", "-o", "x"], settings: settings) == ["record", "--cpus", "4", "idle", "-o", "x"])
        #expect(Config.apply(to: ["compare", "idle", "tour"], settings: settings) == ["compare", "--cpus", "4", "idle", "tour"])
        #expect(Config.apply(to: ["replay", "t"], settings: settings) == ["replay", "--theme", "projector", "--cpus", "4", "t"])
        #expect(Config.apply(to: ["idle"], settings: settings) == ["run", "--theme", "projector", "--cpus", "4", "idle"])
        let record = try Memtop.parseAsRoot(Config.apply(to: ["record", "idle", "-o", "x"], settings: settings))
        #expect((record as? Memtop.Record)?.machine.cpus == 4)
        _ = try Memtop.parseAsRoot(Config.apply(to: ["compare", "idle", "tour", "--headless"], settings: settings))
    }

    /// Each subcommand with the arguments it requires.
    static let subcommands: [(String, [String])] = [
        ("run", ["idle"]), ("replay", ["t"]), ("record", ["idle", "-o", "x"]), ("demo", []), ("compare", ["idle", "tour"]),
    ]
    static let validValues = ["cpus": "4", "ram": "512M", "kernel": "6.1", "seed": "7", "theme": "projector",
                              "lessons": Lessons.directory() ?? "assets/lessons"]

    @Test("The table of keys per subcommand matches the options each subcommand takes")
    func keyTableMatchesParser() {
        for (subcommand, required) in ConfigTests.subcommands {
            let taken = Config.keys(for: subcommand)
            for key in Config.keys {
                let arguments = [subcommand, "--" + key, ConfigTests.validValues[key] ?? ""] + required
                let parses = (try? Memtop.parseAsRoot(arguments)) != nil
                #expect(parses == taken.contains(key), "\(subcommand) --\(key)")
            }
        }
    }

    /// A fresh directory under /tmp.
    static func directory() throws -> String {
        let dir = "/tmp/memtop-config-\(getpid())-\(Int.random(in: 0..<1_000_000_000))"
        try #require(mkdir(dir, 0o700) == 0)
        return dir
    }

    static func write(_ text: String, to path: String) throws {
        let f = try #require(fopen(path, "w"))
        fputs(text, f)
        fclose(f)
    }

    @Test("Only a regular file is read: a FIFO, a device or a directory is refused by name, without blocking",
          .timeLimit(.minutes(1)))
    func onlyRegularFiles() throws {
        let dir = try ConfigTests.directory()
        defer { for name in ["fifo", "zero", "config"] { unlink(dir + "/" + name) }; rmdir(dir + "/dir"); rmdir(dir) }
        try #require(mkfifo(dir + "/fifo", 0o600) == 0)
        try #require(symlink("/dev/zero", dir + "/zero") == 0)
        try #require(mkdir(dir + "/dir", 0o700) == 0)
        for (name, kind) in [("fifo", "a FIFO"), ("zero", "a character device"), ("dir", "a directory")] {
            let failure = #expect(throws: RunFailure.self) { try Config.load(path: dir + "/" + name) }
            #expect(failure?.message == "\(dir)/\(name): expected a regular file, found \(kind)")
            #expect(failure?.exitCode == 2)
        }
        #expect(try Config.load(path: dir + "/missing").isEmpty)
        try ConfigTests.write("cpus = 8\n", to: dir + "/config")
        #expect(try Config.load(path: dir + "/config").map(\.1) == ["8"])
    }

    @Test("A config file over 64 KiB is refused; one of exactly 64 KiB is read")
    func sizeLimit() throws {
        let dir = try ConfigTests.directory()
        defer { unlink(dir + "/config"); rmdir(dir) }
        let line = String(repeating: "#", count: 63) + "\n"   // 64 bytes
        try ConfigTests.write(String(repeating: line, count: 1023) + "cpus = 8" + String(repeating: " ", count: 55) + "\n", to: dir + "/config")
        #expect(try Config.load(path: dir + "/config").map(\.1) == ["8"])
        try ConfigTests.write(String(repeating: line, count: 1024) + "\n", to: dir + "/config")
        let failure = #expect(throws: RunFailure.self) { try Config.load(path: dir + "/config") }
        #expect(failure?.message == "\(dir)/config: expected a config file of at most 65536 bytes, found 65537")
    }

    @Test("memtop record with theme = projector in the config file runs; a bad value names the file and line")
    func throughTheEntryPoint() async throws {
        await #expect(processExitsWith: .success) {
            let dir = "/tmp/memtop-config-child-\(getpid())"
            mkdir(dir, 0o700)
            mkdir(dir + "/memtop", 0o700)
            guard let f = fopen(dir + "/memtop/config", "w") else { exit(98) }
            fputs("theme = projector\r\ncpus = 4\r\n", f)
            fclose(f)
            setenv("XDG_CONFIG_HOME", dir, 1)
            let outcome = Memtop.start(arguments: ["record", "idle", "-o", dir + "/idle.trace"])
            unlink(dir + "/idle.trace"); unlink(dir + "/memtop/config"); rmdir(dir + "/memtop"); rmdir(dir)
            guard case .exit(let code) = outcome else { exit(97) }
            exit(code)
        }
        let result = await #expect(processExitsWith: .exitCode(2), observing: [\.standardErrorContent]) {
            let dir = "/tmp/memtop-config-child-\(getpid())"
            mkdir(dir, 0o700)
            mkdir(dir + "/memtop", 0o700)
            guard let f = fopen(dir + "/memtop/config", "w") else { exit(98) }
            fputs("cpus = lots\n", f)
            fclose(f)
            setenv("XDG_CONFIG_HOME", dir, 1)
            let outcome = Memtop.start(arguments: ["run", "idle", "--headless"])
            unlink(dir + "/memtop/config"); rmdir(dir + "/memtop"); rmdir(dir)
            guard case .exit(let code) = outcome else { exit(97) }
            exit(code)
        }
        let message = String(decoding: try #require(result).standardErrorContent, as: UTF8.self)
        #expect(message.hasPrefix("memtop: /tmp/memtop-config-child-") && message.hasSuffix("/memtop/config:1: expected a number of CPUs from 1 to 1024, found \"lots\"\n"))
    }

    @Test("Defaults go before the subcommand's options, so the command line wins")
    func applying() throws {
        let settings = [("cpus", "16")]
        #expect(Config.apply(to: ["run", "idle", "--cpus", "4"], settings: settings) == ["run", "--cpus", "16", "idle", "--cpus", "4"])
        #expect(Config.apply(to: [], settings: settings) == ["run", "--cpus", "16"])
        #expect(Config.apply(to: ["workloads"], settings: settings) == ["workloads"])
        let command = try Memtop.parseAsRoot(Config.apply(to: ["run", "idle", "--cpus", "4"], settings: settings))
        #expect((command as? Memtop.Run)?.machine.cpus == 4)
        let defaulted = try Memtop.parseAsRoot(Config.apply(to: ["run", "idle"], settings: settings))
        #expect((defaulted as? Memtop.Run)?.machine.cpus == 16)
    }

    @Test("The projector theme draws one full block per page group")
    func projector() {
        let snapshot = FrameSnapshot(machine: TestMachinesProxy.machine(), status: StatusInfo(source: "t"))
        let (buffer, layout) = Screen.render(snapshot, state: ViewState(), theme: Theme(mode: .full256, projector: true), width: 120, height: 40)
        #expect(layout?.pixelsPerCell == 1)
        #expect(buffer.text.contains("█") && !buffer.text.contains("▀"))
    }
}

import HeapModel
import MemtopTestSupport

enum TestMachinesProxy {
    static func machine() -> Machine { TestMachines.kernel(ram: 256 << 20) }
}
