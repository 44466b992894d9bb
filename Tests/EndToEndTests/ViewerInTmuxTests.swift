import MemtopTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Runs a shell command and returns its standard output (and exit status).
@discardableResult
func sh(_ command: String, mergeStandardError: Bool = true) -> (output: String, status: Int32) {
    guard let pipe = popen(command + (mergeStandardError ? " 2>&1" : ""), "r") else { return ("", -1) }
    // Bytes first, decoded once: a UTF-8 character may straddle two reads.
    var bytes: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while case let n = fread(&buffer, 1, buffer.count, pipe), n > 0 { bytes += buffer[..<n] }
    let output = String(decoding: bytes, as: UTF8.self)
    let status = pclose(pipe)
    return (output, status)
}

/// The built memtop, beside the test bundle.
func memtopBinary() -> String {
    let me = CommandLine.arguments[0]
    var dir = String(me[..<(me.lastIndex(of: "/") ?? me.startIndex)])
    if dir.hasSuffix(".xctest") { dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)]) }
    return dir + "/memtop"
}

/// A tmux session running memtop; killed by name when the test ends.
struct TmuxSession {
    let name: String

    init(_ arguments: String, width: Int = 160, height: Int = 50) {
        name = "memtop-e2e-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        sh("tmux kill-session -t \(name)")
        sh("tmux new-session -d -s \(name) -x \(width) -y \(height) \"env LANG=C.UTF-8 TERM=tmux-256color \(memtopBinary()) \(arguments); echo MEMTOP-EXIT=\\$?; sleep 60\"")
        sh("tmux set -t \(name) status off")
    }

    func screen() -> String { sh("tmux capture-pane -p -t \(name)").output }
    func keys(_ keys: String) { sh("tmux send-keys -t \(name) \(keys)") }
    func display(_ format: String) -> String { sh("tmux display -t \(name) -p '\(format)'").output.trimmingSpacesAndNewlines }

    /// Polls the screen until `predicate` holds (no fixed sleeps), up to `seconds`.
    @discardableResult
    func waitFor(_ seconds: Double = 20, _ predicate: (String) -> Bool) -> String {
        var screen = self.screen()
        var waited = 0.0
        while !predicate(screen) && waited < seconds {
            usleep(50_000)
            waited += 0.05
            screen = self.screen()
        }
        return screen
    }

    func kill() { sh("tmux kill-session -t \(name)") }

    /// Types `/`, then `text` at the search prompt, then Enter, waiting for each to reach the screen.
    func searchCaches(_ text: String) {
        keys("/")
        _ = waitFor { $0.contains("search caches: _") }
        keys("-l \(text)")
        _ = waitFor { $0.contains("search caches: \(text)_") }
        keys("Enter")
    }
}

extension String {
    var trimmingSpacesAndNewlines: String {
        var s = Substring(self)
        while let l = s.last, l == "\n" || l == " " { s = s.dropLast() }
        return String(s)
    }
}

@Suite("The viewer under tmux", .serialized)
struct ViewerInTmuxTests {
    @Test("Panels, keys, resize, quit, and the terminal restored")
    func session() throws {
        try #require(sh("command -v tmux").status == 0, "tmux is installed by ./dev (apt-get install tmux)")
        let tmux = TmuxSession("run slab-churn --ram 256M --seed 3")
        defer { tmux.kill() }
        var screen = tmux.waitFor { $0.contains("Events") && $0.contains("Slabs") }
        for title in ["Page map", "Slabs", "Fragmentation", "Vmalloc", "Events", "memtop │ slab-churn"] {
            #expect(screen.contains(title), "\(title) missing:\n\(screen)")
        }
        #expect(tmux.display("#{alternate_on}") == "1")
        // Pause, then one step moves the event counter by exactly one.
        tmux.keys("Space")
        screen = tmux.waitFor { $0.contains("paused") }
        let before = try #require(eventNumber(screen), "no event counter on the status bar:\n\(screen)")
        tmux.keys(".")
        screen = tmux.waitFor { eventNumber($0) != before }
        #expect(eventNumber(screen) == before + 1)
        // Help, then any key closes it.
        tmux.keys("?")
        // Wait for the whole overlay: under load a capture can catch a frame half drawn.
        #expect(tmux.waitFor { $0.contains("memtop keys") && $0.contains("slabtop's sort keys") }.contains("slabtop's sort keys"))
        tmux.keys("x")
        #expect(!tmux.waitFor { !$0.contains("memtop keys") }.contains("memtop keys"))
        // Zoom in, then sort the slab table by name.
        let zoom = tmux.screen().firstLine(containing: "Page map")
        tmux.keys("z")
        #expect(tmux.waitFor { $0.firstLine(containing: "Page map") != zoom }.firstLine(containing: "Page map") != zoom)
        tmux.keys("Tab n")
        #expect(tmux.waitFor { $0.contains("sorted by NAME") }.contains("sorted by NAME"))
        // Search as htop does: / and text, Enter keeps it, \ filters to the matches, Esc clears.
        tmux.searchCaches("kmalloc-2k")
        #expect(tmux.waitFor { $0.contains("Slabs — /kmalloc-2k: ") }.contains("Slabs — /kmalloc-2k: "), "\(tmux.screen())")
        tmux.keys("'\\'")
        #expect(tmux.waitFor { $0.contains("(filtered)") }.contains("(filtered)"), "\(tmux.screen())")
        tmux.keys("Escape")
        #expect(!tmux.waitFor { !$0.contains("Slabs — /kmalloc") }.contains("Slabs — /kmalloc"), "\(tmux.screen())")
        // Resize to 80x24 and back.
        sh("tmux resize-window -t \(tmux.name) -x 80 -y 24")
        screen = tmux.waitFor { $0.split(separator: "\n").first.map { $0.count <= 80 } == true && $0.contains("Events") }
        #expect(screen.split(separator: "\n").allSatisfy { $0.count <= 80 })
        sh("tmux resize-window -t \(tmux.name) -x 160 -y 50")
        #expect(tmux.waitFor { $0.contains("Fragmentation — zone") }.contains("Fragmentation — zone"))
        // Quit: the process exits 0 and the terminal leaves the alternate screen.
        tmux.keys("q")
        screen = tmux.waitFor { $0.contains("MEMTOP-EXIT=") }
        #expect(screen.contains("MEMTOP-EXIT=0"))
        #expect(tmux.display("#{alternate_on}") == "0")
    }

    @Test("On a real capture: the call-site table agrees with the headless events; search, filter and G work")
    func realCapture() throws {
        try #require(sh("command -v tmux").status == 0, "tmux is installed by ./dev")
        let real = try #require(RealCapture.path("trace.txt.xz"))
        let trace = "/tmp/memtop-e2e-real-\(getpid()).txt", events = trace + ".jsonl"
        defer { unlink(trace); unlink(events) }
        try #require(sh("xz -dc '\(real)' | head -n 20000 > \(trace)").status == 0)
        #expect(sh("\(memtopBinary()) replay \(trace) --headless --events-out \(events)").status == 0)
        let tmux = TmuxSession("replay \(trace)", width: 200, height: 60)
        defer { tmux.kill() }
        _ = tmux.waitFor { $0.contains("Slabs") }
        tmux.keys("End")
        var screen = tmux.waitFor(60) { $0.contains("line 20000 of 20000") }
        try #require(screen.contains("line 20000 of 20000"), "\(screen)")
        // The call-site table: each site's allocations are its allocation events in the headless run.
        tmux.keys("w")
        screen = tmux.waitFor { $0.contains("ALLOC BYTES CALL SITE") }
        let jsonl = try #require(Golden.readFile(events)).split(separator: "\n")
        var compared = 0
        let rows = screen.split(separator: "\n").map { Array($0) }
        let headerRow = try #require(rows.firstIndex { String($0).contains("ALLOC BYTES CALL SITE") })
        let column = try #require(String(rows[headerRow]).firstRange(of: "LIVE LIVE BYTES")
            .map { String(rows[headerRow]).distance(from: String(rows[headerRow]).startIndex, to: $0.lowerBound) })
        for row in rows[(headerRow + 1)...] where row.count > column {
            // The table's own columns, right of the page map: LIVE, LIVE BYTES, ALLOCS, ALLOC BYTES, CALL SITE.
            let fields = String(row[max(0, column - 2)...]).split(separator: "│").first?.split(separator: " ") ?? []
            guard fields.count >= 5, let allocations = Int(fields[2]), fields[4].contains("+0x"), !fields[4].hasSuffix("…") else { continue }
            let site = fields[4]
            let counted = jsonl.filter { line in
                line.contains("\"call_site\":\"\(site)\"")
                    && (line.contains("\"kind\":\"kmalloc\"") || line.contains("\"kind\":\"kmem_cache_alloc\"") || line.contains("\"kind\":\"vmalloc\""))
            }.count
            #expect(allocations == counted, "\(site): screen \(allocations), headless \(counted)")
            compared += 1
        }
        #expect(compared >= 5, "\(screen)")
        // Back to the caches: search, filter to the matches, then G jumps to where the cache grew most.
        tmux.keys("w")
        _ = tmux.waitFor { $0.contains("Slabs —") }
        tmux.searchCaches("kmalloc-cg-16")
        #expect(tmux.waitFor { $0.contains("Slabs — /kmalloc-cg-16: 1 match") }.contains("Slabs — /kmalloc-cg-16: 1 match"), "\(tmux.screen())")
        tmux.keys("'\\'")
        screen = tmux.waitFor { $0.contains("(filtered)") }
        #expect(screen.contains("(filtered)") && screen.contains(" kmalloc-cg-16 "), "\(screen)")
        // The selected cache's timeline at the foot of the panel: its objects and slabs over the run.
        #expect(screen.contains("kmalloc-cg-16 objects ") && screen.contains("  slabs "), "\(screen)")
        tmux.keys("G")
        screen = tmux.waitFor(30) { !$0.contains("line 20000 of 20000") && $0.contains(" of 20000") }
        #expect(!screen.contains("line 20000 of 20000") && screen.contains(" of 20000"), "\(screen)")
        tmux.keys("q")
        #expect(tmux.waitFor { $0.contains("MEMTOP-EXIT=") }.contains("MEMTOP-EXIT=0"))
    }

    @Test("The numbers on screen are the headless numbers")
    func screenMatchesHeadless() throws {
        try #require(sh("command -v tmux").status == 0, "tmux is installed by ./dev")
        let tmux = TmuxSession("run slab-churn --ram 256M --seed 9", width: 200, height: 60)
        defer { tmux.kill() }
        _ = tmux.waitFor { $0.contains("Slabs") }
        tmux.keys("+ + + + + + +")
        var screen = tmux.waitFor(30) { $0.contains("■ done") }
        try #require(screen.contains("■ done"))
        // The status bar may be drawn before the rest of the last frame reaches tmux: wait until
        // the screen stops changing.
        for _ in 0..<40 {
            usleep(100_000)
            let again = tmux.screen()
            if again == screen { break }
            screen = again
        }
        let headless = sh("\(memtopBinary()) run slab-churn --ram 256M --seed 9 --headless --dump slabinfo").output
        var compared = 0
        for line in headless.split(separator: "\n").dropFirst(2) {
            let f = line.split(separator: " ")
            guard f.count > 13, Int(f[2]) ?? 0 > 0, let row = screen.split(separator: "\n").first(where: { $0.hasSuffix(" " + f[0] + "  ") || $0.contains(" \(f[0]) ") || $0.contains(" \(f[0])│") }) else { continue }
            let numbers = row.split(separator: " ").compactMap { Int($0) }
            // OBJS, ACTIVE, then SLABS and OBJ/SLAB appear in slabtop's order.
            #expect(numbers.starts(with: [Int(f[2])!, Int(f[1])!]), "\(f[0]): \(row)")
            compared += 1
        }
        #expect(compared >= 5)
        tmux.keys("q")
    }

    @Test("Without a terminal: a one-line hint and a non-zero exit, never a hang")
    func noTerminal() {
        // Standard error to the pipe, standard output to /dev/null, no terminal on standard input.
        let result = sh("timeout 10 \(memtopBinary()) run idle < /dev/null 2>&1 > /dev/null", mergeStandardError: false)
        #expect(result.status != 0)
        #expect(result.output.contains("--headless"))
        #expect(result.output.split(separator: "\n").count == 1)
    }
}

func eventNumber(_ screen: String) -> Int? {
    guard let status = screen.split(separator: "\n").first,
          let part = status.split(separator: "│").first(where: { $0.contains(" op ") || $0.contains(" line ") })
    else { return nil }
    return part.split(separator: " ").compactMap { Int($0) }.first
}

extension String {
    func firstLine(containing s: String) -> String { split(separator: "\n").first { $0.contains(s) }.map(String.init) ?? "" }
}

@Suite("The compare viewer under tmux", .serialized)
struct CompareInTmuxTests {
    @Test("A missing trace in a terminal gets a plain message and exit 1, not a Swift value")
    func missingFile() throws {
        try #require(sh("command -v tmux").status == 0, "tmux is installed by ./dev")
        let tmux = TmuxSession("replay /nonexistent/trace.txt")
        defer { tmux.kill() }
        let screen = tmux.waitFor { $0.contains("MEMTOP-EXIT=") }
        #expect(screen.contains("MEMTOP-EXIT=1"), "\(screen)")
        #expect(screen.contains("memtop: ") && !screen.contains("RunFailure("), "\(screen)")
    }

    @Test("A lesson at 80x24: its narration wraps, stays on screen until a key, and the next key goes on")
    func lessonNarration() throws {
        try #require(sh("command -v tmux").status == 0, "tmux is installed by ./dev")
        let tmux = TmuxSession("demo size-classes", width: 80, height: 24)
        defer { tmux.kill() }
        let pane = { (screen: String) in
            screen.split(separator: "\n").drop { !$0.hasPrefix("┌ Lesson") && !$0.hasPrefix("┌ Question") }.dropFirst()
                .filter { $0.hasPrefix("│") }.map { $0.dropFirst().dropLast().split(separator: " ").joined(separator: " ") }
                .joined(separator: " ")
        }
        // The pane's border can reach tmux a moment before its text: wait for the sentence's end.
        var screen = tmux.waitFor { $0.contains("┌ Lesson") && pane($0).hasSuffix("up to 8K.") }
        #expect(pane(screen) == "kmalloc serves small requests from caches of fixed-size slots: 8, 16, 32, 64, 96, "
                + "128, 192, 256 bytes, then powers of two up to 8K.", "\(screen)")
        #expect(screen.split(separator: "\n").allSatisfy { $0.count <= 80 })
        // Nothing moves while the class reads it.
        usleep(1_500_000)
        #expect(pane(tmux.screen()) == pane(screen))
        #expect(tmux.screen().contains("paused"))
        tmux.keys("Space")
        screen = tmux.waitFor { $0.contains("┌ Question") }
        #expect(pane(screen).hasPrefix("Q: A driver asks for 72 bytes. Which cache serves it?"), "\(screen)")
        tmux.keys("Space")
        screen = tmux.waitFor { pane($0).contains("A: ") }
        #expect(pane(screen).contains("A: kmalloc-96: 72 rounds up through size_index to the 96-byte class; 24 bytes (25%) are wasted."),
                "\(screen)")
        tmux.keys("q")
        #expect(tmux.waitFor { $0.contains("MEMTOP-EXIT=") }.contains("MEMTOP-EXIT=0"))
    }
}

@Suite("An installed memtop")
struct InstalledTests {
    @Test("Copied into PREFIX/bin with its assets in PREFIX/share/memtop (as ./dev install lays it out), memtop finds its lessons and workloads there")
    func installedLayout() throws {
        let prefix = "/tmp/memtop-prefix-\(getpid())-\(Int.random(in: 0..<1_000_000))"
        defer { sh("rm -rf \(prefix)") }
        let source = memtopBinary().split(separator: "/").dropLast(4).joined(separator: "/")   // .build/<triple>/debug/memtop
        try #require(sh("test -d /\(source)/assets/lessons").status == 0, "the source tree: /\(source)")
        sh("mkdir -p \(prefix)/bin \(prefix)/share/memtop && cp \(memtopBinary()) \(prefix)/bin/memtop "
           + "&& cp -R /\(source)/assets/lessons /\(source)/assets/workloads \(prefix)/share/memtop/")
        // A lesson only the installed copy has: found there, not in the source tree.
        sh("printf '# memtop trace v1\\n# title: Only installed\\nsay \"hello\"\\n' > \(prefix)/share/memtop/lessons/9-installed.trace")
        let list = sh("cd / && env -u MEMTOP_ASSETS \(prefix)/bin/memtop demo")
        #expect(list.status == 0 && list.output.contains("installed") && list.output.contains("Only installed"), "\(list.output)")
        let workloads = sh("cd / && env -u MEMTOP_ASSETS \(prefix)/bin/memtop run named-caches --headless --dump slabinfo")
        #expect(workloads.status == 0, "\(workloads.output)")
        // The ./dev script installs to that layout.
        let dev = sh("grep -c 'share/memtop' /\(source)/dev").output
        #expect((Int(dev.trimmingSpacesAndNewlines) ?? 0) >= 2)
    }
}

@Suite("Standard output of headless runs")
struct StandardOutputTests {
    @Test("--events-out - puts only JSON Lines on standard output, for run, demo and a memtop-trace replay")
    func onlyJSONLines() {
        for args in ["run tour --ram 256M --events-out -", "demo buddy --events-out -", "run named-caches --events-out -"] {
            let (out, status) = sh("\(memtopBinary()) \(args)", mergeStandardError: false)
            let lines = out.split(separator: "\n")
            #expect(status == 0 && lines.count > 10, "\(args)")
            #expect(lines.allSatisfy { $0.hasPrefix("{\"seq\":") && $0.hasSuffix("}") }, "\(args): \(lines.first { !$0.hasPrefix("{") } ?? "")")
        }
    }
}
