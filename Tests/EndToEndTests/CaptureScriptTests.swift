import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `scripts/memtop-capture` run against a fake machine: /proc, /sys/kernel/slab and a tracefs of
/// plain files built from a shared bundle, under `--root`. The traced command is
/// `CaptureFixtures/fake-kernel.sh`, which plays the kernel: it notes the settings it sees, moves
/// the machine to the bundle's end/ state and fills the "ring buffer" with the bundle's trace.
@Suite("memtop-capture against a fake machine")
struct CaptureScriptTests {
    /// Why these tests are skipped when they are.
    static let skipReason: Comment = "/bin/sh or the shared bundles beside the repository are missing: memtop-capture tests skipped"

    static var available: Bool {
        access("/bin/sh", X_OK) == 0 && access(CaptureMachine.bundle("6.1-build") + "/trace.txt.xz", R_OK) == 0
            && access(CaptureMachine.repository() + "/../shared/traces/formats/6.1-mix/trace-v6-native-short.dat.xz", R_OK) == 0
    }

    /// The files a bundle's start/ and end/ hold verbatim or derive from /proc and /sys alone: the
    /// script's must be byte for byte the shared bundle's.
    static let exactStateFiles = ["zoneinfo.txt", "buddyinfo.txt", "pagetypeinfo.txt", "slabinfo.txt", "vmallocinfo.txt",
                                  "meminfo.txt", "vmstat.txt", "modules.txt", "slab_sysfs.tsv", "slab_aliases.tsv",
                                  "pcp.tsv", "vm_sysctl.txt"]

    @Test("A traced command gives a bundle memtop replays: start/ and end/ as the kernel's files, the bundle's kprobes, settings restored",
          .enabled(if: available, skipReason), arguments: [("6.1-build", "6.1"), ("6.12-build", "6.12")])
    func commandCapture(bundle: String, profile: String) throws {
        let machine = try CaptureMachine(bundle: bundle, slabRows: nil)
        defer { machine.remove() }
        let before = machine.tracingSettings()
        let run = machine.capture("-o \(machine.output) -- \(machine.fakeKernel) 3000")
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("wrote \(machine.output)"), "\(run.output)")

        for state in ["start", "end"] {
            for file in Self.exactStateFiles {
                let mine = machine.text(machine.output + "/" + state + "/" + file)
                #expect(mine != nil && mine == machine.text(machine.shared + "/" + state + "/" + file), "\(state)/\(file) differs")
            }
            let meta = machine.text(machine.output + "/" + state + "/statedump_meta.tsv") ?? ""
            #expect(meta.contains("/sys/kernel/slab ("), "\(state)/statedump_meta.tsv:\n\(meta)")
        }
        #expect(machine.text(machine.output + "/start/statedump_meta.tsv")?.contains("tracing_on_1_written_at") == true)
        #expect(machine.text(machine.output + "/nproc.txt") == "2\n")
        // The bundles were recorded on x86-64, whose registers the kprobes name (elsewhere: $argN).
        if sh("uname -m").output == "x86_64\n" {
            #expect(machine.text(machine.output + "/kprobe_events.txt") == machine.text(machine.shared + "/kprobe_events.txt"))
        }
        #expect(machine.lines(machine.output + "/enabled_events.txt").sorted() == machine.lines(machine.shared + "/enabled_events.txt").sorted())
        #expect(access(machine.output + "/trace.txt.gz", R_OK) == 0)

        // While the command ran: tracing on, the capture's events alone, in the layout memtop reads.
        let seen = machine.lines(machine.root + "/seen.txt")
        for setting in ["tracing_on=1;", "current_tracer=nop;", "trace_clock=global;", "buffer_size_kb=65536;", "options/overwrite=0;",
                        "options/hash-ptr=0;", "options/record-tgid=0;", "events/kmem/kmalloc/enable=1;",
                        "events/kmem/kmalloc/filter=0;", "set_event="] {
            #expect(seen.contains(setting), "\(setting) not seen: \(seen)")
        }
        // Afterwards every setting is back; each kprobe added is removed again.
        #expect(machine.changedSettings(since: before) == [])
        let kprobes = machine.lines(machine.tracefs + "/kprobe_events")
        let added = kprobes.filter { !$0.hasPrefix("-:") }.compactMap { $0.split(separator: " ").first?.split(separator: ":").last }
        #expect(!added.isEmpty)
        for probe in added { #expect(kprobes.contains("-:" + probe), "\(probe) not removed") }

        let replay = sh("\(memtopBinary()) replay \(machine.output) --headless")
        #expect(replay.status == 0, "\(replay.output)")
        #expect(replay.output.contains("kernel profile: \(profile) (uname: "), "\(replay.output)")
        #expect(replay.output.contains("replay: \(machine.output)/trace.txt.gz: 3000 lines"), "\(replay.output)")
        for cache in ["task_struct", "inode_cache"] { #expect(replay.output.contains(" \(cache) "), "\(cache) missing:\n\(replay.output)") }
    }

    @Test("--format trace-cmd and perf hand the recorder the capture's events and buffer; the bundle replays; settings restored",
          .enabled(if: available, skipReason), arguments: ["trace-cmd", "perf"])
    func recorders(format: String) throws {
        // The recorders' files are short ones of the same 6.1 kernel (formats/6.1-mix): a replay reads them from any start/.
        let machine = try CaptureMachine(bundle: "6.1-build")
        defer { machine.remove() }
        let before = machine.tracingSettings()
        let mix = CaptureMachine.repository() + "/../shared/traces/formats/6.1-mix"
        let fakes = "PATH=\(CaptureMachine.fixtures()):$PATH FAKE_ROOT=\(machine.root) FAKE_TRACE_DAT=\(mix)/trace-v6-native-short.dat.xz "
            + "FAKE_PERF_SCRIPT=\(mix)/perf-script.txt.xz FAKE_PERF_LOST=7"
        let run = CaptureMachine.capture("--format \(format) -o \(machine.output) -- \(machine.fakeKernel) 10", root: machine.root,
                                         environment: machine.environment + " " + fakes)
        #expect(run.status == 0, "\(run.output)")
        let arguments = machine.text(machine.root + "/recorder-args") ?? ""
        if format == "trace-cmd" {
            #expect(arguments.hasPrefix("record -b 65536 -C global --no-filter -e kmem:kmalloc -e kmem:kfree "), "\(arguments)")
            #expect(arguments.contains(" -e vmkp:kp_vunmap_core ") && arguments.contains(" -o \(machine.output)/trace.dat \(machine.fakeKernel) 10"),
                    "\(arguments)")
            #expect(access(machine.output + "/trace.dat", R_OK) == 0)
        } else {
            #expect(arguments.hasPrefix("record -a -m 16384 -e kmem:kmalloc -e kmem:kfree "), "\(arguments)")
            #expect(arguments.contains(" -o \(machine.output)/perf.data -- \(machine.fakeKernel) 10"), "\(arguments)")
            #expect(run.output.contains("LOST EVENTS: 7 events did not fit"), "\(run.output)")
            #expect(access(machine.output + "/trace.txt.gz", R_OK) == 0)
        }
        #expect(machine.changedSettings(since: before) == [])
        #expect(machine.lines(machine.tracefs + "/kprobe_events").filter { $0.hasPrefix("-:vmkp/") }.count == 12)
        let replay = sh("\(memtopBinary()) replay \(machine.output) --headless")
        #expect(replay.status == 0, "\(replay.output)")
        #expect(replay.output.contains("kernel profile: 6.1 (uname: 6.1.0-56-amd64)"), "\(replay.output)")
        let trace = format == "trace-cmd" ? "trace.dat: 1650 lines" : "trace.txt.gz: 3000 lines"
        #expect(replay.output.contains("replay: \(machine.output)/\(trace)"), "\(replay.output)")
    }

    @Test("--seconds traces the whole machine; --events and --compress none shape the bundle", .enabled(if: available, skipReason))
    func secondsCapture() throws {
        let machine = try CaptureMachine(bundle: "6.1-build")
        defer { machine.remove() }
        let before = machine.tracingSettings()
        let run = machine.capture("-o \(machine.output) --seconds 0.1 --events -mm_page_free_batched,-vmalloc --compress none --buffer-kb 2048")
        #expect(run.status == 0, "\(run.output)")
        let enabled = machine.lines(machine.output + "/enabled_events.txt")
        #expect(enabled.count == 6 && !enabled.contains("kmem:mm_page_free_batched") && !enabled.contains { $0.hasPrefix("vmkp:") }, "\(enabled)")
        #expect(access(machine.output + "/trace.txt", R_OK) == 0)
        #expect(machine.text(machine.output + "/trace_settings.txt")?.hasPrefix("buffer_size_kb 2048\n") == true)
        #expect(machine.text(machine.output + "/capture.txt")?.contains("traced: 0.1 seconds") == true)
        #expect(machine.changedSettings(since: before) == [])
        #expect(machine.text(machine.tracefs + "/kprobe_events") == "")
    }

    @Test("A signal while tracing restores every setting and removes the kprobes; the bundle says it is incomplete",
          .enabled(if: available, skipReason), arguments: [("TERM", 143), ("HUP", 129)])
    func interrupted(signal: String, status: Int) throws {
        let machine = try CaptureMachine(bundle: "6.1-build")
        defer { machine.remove() }
        let before = machine.tracingSettings()
        let pidFile = machine.dir + "/pid", statusFile = machine.dir + "/status", log = machine.dir + "/log"
        CaptureMachine.withSignalsUnblocked {
            sh("( \(machine.environment) \(machine.shell) \(machine.script) --root \(machine.root) -o \(machine.output) --seconds 60 >\(log) 2>&1 & echo $! > \(pidFile).new; mv \(pidFile).new \(pidFile); "
               + "wait $!; echo $? > \(statusFile).new; mv \(statusFile).new \(statusFile) ) >/dev/null 2>&1 &")
        }
        // Tracing has started once the fake tracing_on reads 1 after the capture wrote 0.
        #expect(machine.waitFor { machine.text(machine.output + "/start/statedump_meta.tsv")?.contains("tracing_on_1_written_at") == true })
        let pid = try #require(machine.text(pidFile).flatMap { Int32($0.trimmingSpacesAndNewlines) })
        kill(pid, signal == "TERM" ? SIGTERM : SIGHUP)
        #expect(machine.waitFor { machine.text(statusFile) != nil })
        #expect(machine.text(statusFile)?.trimmingSpacesAndNewlines == String(status))
        #expect(machine.text(log)?.contains("interrupted by SIG\(signal) during tracing") == true, "\(machine.text(log) ?? "")")
        #expect(machine.text(machine.output + "/capture.txt")?.contains("incomplete") == true)
        #expect(machine.changedSettings(since: before) == [])
        let kprobes = machine.lines(machine.tracefs + "/kprobe_events")
        #expect(kprobes.filter { $0.hasPrefix("-:vmkp/") }.count == 12, "\(kprobes)")
    }

    @Test("Lost events are reported with what to do, and recorded in the bundle", .enabled(if: available, skipReason))
    func lostEvents() throws {
        let machine = try CaptureMachine(bundle: "6.1-build")
        defer { machine.remove() }
        let run = machine.capture("-o \(machine.output) -- \(machine.fakeKernel) 100 1234")
        #expect(run.status == 0, "\(run.output)")
        #expect(run.output.contains("LOST EVENTS: 1234 events did not fit"), "\(run.output)")
        #expect(run.output.contains("--buffer-kb 262144"), "\(run.output)")
        #expect(run.output.contains("--events"), "\(run.output)")
        #expect(machine.text(machine.output + "/lost_events.txt") == "cpu1: overrun 0, commit overrun 0, dropped 1234\n")
        #expect(machine.text(machine.output + "/capture.txt")?.contains("lost events: 1234") == true)
    }

    @Test("No tracefs: a message naming the mount command and exit 1, nothing written", .enabled(if: available, skipReason))
    func noTracefs() throws {
        let machine = try CaptureMachine(bundle: "6.1-build")
        defer { machine.remove() }
        sh("rm -rf \(machine.tracefs)")
        let run = machine.capture("-o \(machine.output) --seconds 1")
        #expect(run.status == 1)
        #expect(run.output.contains("no tracefs at ") && run.output.contains("mount -t tracefs nodev"), "\(run.output)")
        #expect(access(machine.output, F_OK) != 0)
    }

    @Test("A non-empty -o folder is refused before any setting changes", .enabled(if: available, skipReason))
    func nonEmptyOutput() throws {
        let machine = try CaptureMachine(bundle: "6.1-build")
        defer { machine.remove() }
        let before = machine.tracingSettings()
        sh("mkdir -p \(machine.output) && echo keep > \(machine.output)/mine.txt")
        let run = machine.capture("-o \(machine.output) --seconds 1")
        #expect(run.status == 1)
        #expect(run.output.contains("is not empty"), "\(run.output)")
        #expect(machine.text(machine.output + "/mine.txt") == "keep\n")
        #expect(sh("ls \(machine.output)").output == "mine.txt\n")
        #expect(machine.changedSettings(since: before) == [])
    }

    @Test("./dev install puts it beside memtop, where it runs by its #!/bin/sh line", .enabled(if: available, skipReason))
    func installed() {
        let dev = CaptureMachine.text(CaptureMachine.repository() + "/dev") ?? ""
        let line = #"install -m 755 scripts/memtop-capture "$prefix/bin/memtop-capture""#
        #expect(dev.contains(line))
        let prefix = "/tmp/memtop-capture-prefix-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        defer { sh("rm -rf \(prefix)") }
        let run = sh("cd \(CaptureMachine.repository()) && prefix=\(prefix) && mkdir -p $prefix/bin && \(line) && cd / && $prefix/bin/memtop-capture --help")
        #expect(run.status == 0 && run.output.hasPrefix("usage: memtop-capture"), "\(run.output)")
    }

    @Test("Bad command lines exit 2 with one message; --help exits 0", .enabled(if: available, skipReason),
          arguments: [("--seconds abc", "--seconds expects"), ("--seconds 1 --format ftrace", "--format expects"),
                      ("", "say how long to trace"), ("--seconds 1 -- true", "not both"), ("--buffer-kb 0 --seconds 1", "--buffer-kb expects"),
                      ("--events slab,frees --seconds 1", "--events: unknown item"), ("--bogus", "unknown option --bogus"),
                      ("-- no-such-command-here", "is not found")])
    func badCommandLine(arguments: String, message: String) {
        // Command-line mistakes are caught before the machine is looked at: no fake machine needed.
        let run = CaptureMachine.capture(arguments, root: "/nonexistent-memtop-capture-root")
        #expect(run.status == 2, "\(arguments): \(run.output)")
        #expect(run.output.contains(message), "\(arguments): \(run.output)")
        let help = CaptureMachine.capture("--help", root: "/nonexistent-memtop-capture-root")
        #expect(help.status == 0)
        #expect(help.output.hasPrefix("usage: memtop-capture") && help.output.contains("--format F") && help.output.contains("--buffer-kb N"))
    }
}

/// A fake machine in a fresh temporary folder, built by the capture fixtures from a shared bundle.
struct CaptureMachine {
    /// The temporary folder holding everything.
    let dir: String
    /// The shared bundle it imitates.
    let shared: String
    /// How many of the bundle's slab caches the fake /sys/kernel/slab holds (nil: all of them;
    /// every one is a folder of 20 files, slow to make).
    let slabRows: Int?
    /// The shell that runs the script: dash when installed (the strictest POSIX shell around), else sh.
    static let shell = sh("command -v dash").status == 0 ? "dash" : "sh"
    var shell: String { Self.shell }
    /// The environment the fixtures read.
    var environment: String { "FAKE_SLAB_ROWS=\(slabRows ?? 0)" }

    var root: String { dir + "/root" }
    var tracefs: String { root + "/sys/kernel/tracing" }
    var output: String { dir + "/bundle" }
    var script: String { Self.script }
    static var script: String { repository() + "/scripts/memtop-capture" }
    /// The traced command; takes the line count and optionally the events dropped.
    var fakeKernel: String { "\(Self.fixtures())/fake-kernel.sh \(shared) \(root)" }

    init(bundle: String, slabRows: Int? = 12) throws {
        shared = Self.bundle(bundle)
        self.slabRows = slabRows
        dir = "/tmp/memtop-capture-test-\(getpid())-\(Int.random(in: 0..<1_000_000_000))"
        let built = sh("mkdir -p \(dir) && \(environment) \(Self.fixtures())/fake-state.sh \(shared) start \(dir)/root && \(Self.fixtures())/fake-tracefs.sh \(shared) \(dir)/root")
        try #require(built.status == 0, "the fake machine: \(built.output)")
    }

    static func repository(from source: String = #filePath) -> String {
        var dir = source
        for _ in 0..<3 { dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)]) }
        return dir
    }
    static func fixtures(from source: String = #filePath) -> String {
        String(source[..<(source.lastIndex(of: "/") ?? source.startIndex)]) + "/CaptureFixtures"
    }
    static func bundle(_ name: String) -> String { repository() + "/../shared/traces/bundles/" + name }

    /// Runs memtop-capture on this machine; the status is the script's exit status.
    func capture(_ arguments: String) -> (output: String, status: Int32) {
        Self.capture(arguments, root: root, environment: environment)
    }

    /// Runs memtop-capture with `--root root`; the status is the script's exit status.
    static func capture(_ arguments: String, root: String, environment: String = "") -> (output: String, status: Int32) {
        let run = sh("\(environment) \(shell) \(script) --root \(root) \(arguments)")
        return (run.output, (run.status >> 8) & 0xff)
    }

    /// Every tracefs setting a capture touches, by path: what must read the same after it.
    func tracingSettings() -> [String: String] {
        let listing = sh("cd \(tracefs) && find . -type f ! -name trace ! -name kprobe_events ! -name kprobe_profile ! -path './per_cpu/*' ! -name format | sort",
                         mergeStandardError: false).output
        var settings: [String: String] = [:]
        for path in listing.split(separator: "\n") { settings[String(path)] = text(tracefs + "/" + path.dropFirst(2)) }
        // trace_clock reads "[local] global ..." and is written "local": compare the clock in use.
        if let clock = settings["./trace_clock"], let open = clock.firstIndex(of: "["), let close = clock.firstIndex(of: "]") {
            settings["./trace_clock"] = String(clock[clock.index(after: open)..<close]) + "\n"
        }
        // set_event is re-enabled line by line: its order may change, not its events.
        settings["./set_event"] = lines(tracefs + "/set_event").sorted().joined(separator: "\n")
        return settings
    }

    /// The settings that read differently from `before`, as "path: before -> now".
    func changedSettings(since before: [String: String]) -> [String] {
        let now = tracingSettings()
        return Set(before.keys).union(now.keys).sorted().compactMap { path in
            before[path] == now[path] ? nil : "\(path): \(before[path] ?? "absent") -> \(now[path] ?? "absent")"
        }
    }

    func text(_ path: String) -> String? { Self.text(path) }

    /// The text of the file at `path`, or nil when it cannot be read.
    static func text(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while case let n = fread(&buffer, 1, buffer.count, file), n > 0 { bytes += buffer[..<n] }
        return String(decoding: bytes, as: UTF8.self)
    }
    func lines(_ path: String) -> [String] { (text(path) ?? "").split(separator: "\n").map(String.init) }

    /// Polls `condition` every 20 ms for up to 20 s.
    func waitFor(_ condition: () -> Bool) -> Bool {
        for _ in 0..<1000 {
            if condition() { return true }
            usleep(20_000)
        }
        return condition()
    }

    func remove() { sh("rm -rf \(dir)") }

    /// Runs `body` with no signal blocked on this thread, so that the processes it starts do not
    /// inherit the test runner's blocked TERM, HUP and CHLD (a shell then never sees its signals
    /// or its children end).
    static func withSignalsUnblocked(_ body: () -> Void) {
        var all = sigset_t(), saved = sigset_t()
        sigfillset(&all)
        pthread_sigmask(SIG_UNBLOCK, &all, &saved)
        defer { pthread_sigmask(SIG_SETMASK, &saved, nil) }
        body()
    }
}
