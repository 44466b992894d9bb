import Testing

#if canImport(Glibc)
import Glibc
#endif

extension TmuxSession {
    /// The viewer's process id: the pane's shell's only child while memtop runs (env execs it).
    func viewerPID() -> Int32? {
        Int32(sh("pgrep -P \(display("#{pane_pid}"))", mergeStandardError: false).output.trimmingSpacesAndNewlines)
    }

    /// The pane terminal's modes as `stty -a` lists them (`icanon`, `-echo`, ...), read from outside.
    func terminalModes() -> Set<String> {
        let text = sh("stty -a -F \(display("#{pane_tty}"))", mergeStandardError: false).output
        return Set(text.split { $0 == " " || $0 == "\n" || $0 == ";" }.map(String.init))
    }
}

/// Every viewer, killed by a signal under tmux, gives the pane back as the shell had it: line
/// editing and echo on, cursor shown, main screen, no mouse reports; and exits as a shell expects.
@Suite("Signals under tmux", .serialized)
struct SignalsInTmuxTests {
    /// The repository's root, for its lessons.
    static let root = String(#filePath.split(separator: "/").dropLast(3).joined(separator: "/").prefixed("/"))

    @Test("SIGINT (Ctrl-C or kill), SIGTERM, SIGHUP and SIGQUIT in run, replay, demo and compare: status 128+n, the terminal as before",
          arguments: [
              ("run slab-churn --ram 256M", "C-c", 130), ("replay \(SignalsInTmuxTests.root)/assets/lessons/2-slab-life.trace", "TERM", 143),
              ("demo buddy", "HUP", 129), ("compare idle idle --ram 256M", "INT", 130), ("compare idle idle --ram 256M", "QUIT", 131),
          ])
    func signals(arguments: String, signal: String, code: Int) throws {
        try #require(sh("command -v tmux").status == 0, "tmux is installed by ./dev (apt-get install tmux)")
        let tmux = TmuxSession(arguments)
        defer { tmux.kill() }
        _ = tmux.waitFor { $0.contains("Slabs") }
        // While memtop runs: raw keys, no echo, no cursor, the alternate screen, mouse reports.
        let running = tmux.terminalModes()
        #expect(running.contains("-icanon") && running.contains("-echo"), "\(running.sorted())")
        #expect(tmux.display("#{alternate_on} #{cursor_flag} #{mouse_standard_flag}") == "1 0 1")
        if signal.hasPrefix("C-") {
            tmux.keys(signal)
        } else {
            let pid = try #require(tmux.viewerPID(), "no memtop under the pane's shell")
            sh("kill -s \(signal) \(pid)")
        }
        let screen = tmux.waitFor { $0.contains("MEMTOP-EXIT=") }
        #expect(screen.contains("MEMTOP-EXIT=\(code)"), "\(signal): \(screen)")
        let after = tmux.terminalModes()
        #expect(after.isSuperset(of: ["icanon", "echo", "isig", "icrnl", "opost"]), "\(signal): \(after.sorted())")
        #expect(tmux.display("#{alternate_on} #{cursor_flag} #{mouse_standard_flag} #{mouse_any_flag}") == "0 1 0 0", "\(signal)")
    }
}

extension String {
    /// The string with `prefix` in front.
    func prefixed(_ prefix: String) -> String { prefix + self }
}
