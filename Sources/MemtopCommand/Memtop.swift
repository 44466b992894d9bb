import ArgumentParser
import BuiltInWorkloads
import Captures
import HeapModel

/// `memtop`: the Linux kernel's memory allocators, simulated and shown in the terminal.
public struct Memtop: ParsableCommand {
    /// The command's description, subcommands and default.
    public static let configuration = CommandConfiguration(
        commandName: "memtop",
        abstract: "Watch the Linux kernel's memory allocators at work on a simulated machine.",
        discussion: """
            With no subcommand, opens the viewer on the default workload (\(Run.defaultWorkload)). \
            --headless (or --dump, --events-out) prints instead of drawing.
            """,
        version: Memtop.version,
        // Every subcommand names itself (`commandName:`): a name derived from the type is printed
        // from its metadata at each start, 0.4 M instructions a subcommand.
        subcommands: [Run.self, Replay.self, Record.self, Demo.self, Compare.self, Quiz.self, ListWorkloads.self, Text.self],
        defaultSubcommand: Run.self
    )

    /// The version `memtop --version` prints.
    public static let version = "memtop 0.3 (kernel profiles \(KernelVersion.allCases.map(\.rawValue).joined(separator: ", ")))"

    /// Creates the root command (needed by the parser).
    public init() {}

    /// What the executable must do after parsing: exit, or open the viewer.
    public enum Outcome: Sendable {
        /// Exit with this status.
        case exit(Int32)
        /// Open the terminal viewer (only the executable can: it owns the terminal backend).
        case viewer(ViewerRequest)
        /// Open the side-by-side comparison.
        case compare(ViewerRequest, ViewerRequest)
    }

    /// Parses `arguments` (after the config file's defaults) and runs the command; a viewer run is
    /// handed back to the caller.
    public static func start(arguments raw: [String]) -> Outcome {
        let arguments: [String]
        do { arguments = Config.apply(to: raw, settings: try Config.load()) } catch {
            standardError("memtop: \((error as? RunFailure)?.message ?? "\(error)")\n")
            return .exit(2)
        }
        // A headless replay's bundle starts being read while the arguments are parsed (handed
        // over only if the parsed command replays the same one).
        let speculation = SpeculativeBundle.start(arguments)
        do {
            let command = try parseAsRoot(arguments)
            do {
                if let outcome = try viewer(for: command) { return outcome }
            } catch {
                standardError("memtop: \((error as? RunFailure)?.message ?? "\(error)")\n")
                return .exit((error as? RunFailure)?.exitCode ?? 1)
            }
            if let replay = command as? Replay { return .exit(run { try replay.run(speculation: speculation) }) }
            return .exit(run(command))
        } catch {
            return .exit(report(error))
        }
    }

    /// The viewer a parsed command opens, or nil when it runs headless.
    /// - Throws: ``RunFailure`` when a side of `compare` cannot be set up.
    static func viewer(for command: any ParsableCommand) throws -> Outcome? {
        func request(_ source: ViewerRequest.Source, _ machine: MachineOptions, _ output: OutputOptions) -> Outcome {
            .viewer(ViewerRequest(source: source, configuration: machine.machineConfiguration, seed: machine.seed,
                                  projector: output.theme == .projector))
        }
        switch command {
        case let run as Run where run.output.wantsViewer:
            if let workload = Workload.named(run.workload) { return request(.workload(workload), run.machine, run.output) }
            if let file = Lessons.workloads().first(where: { $0.name == run.workload }) {
                return request(.trace(file.path), run.machine, run.output)
            }
        case let compare as Compare where !compare.headless && compare.at == nil:
            return .compare(try compare.request(compare.first), try compare.request(compare.second))
        case let demo as Demo where demo.output.wantsViewer && demo.slides == nil:
            if let lesson = demo.chosen { return request(.trace(lesson.path), demo.machine, demo.output) }
        case let replay as Replay where replay.output.wantsViewer && !replay.check:
            guard case .viewer(var r) = request(.trace(replay.file), replay.machine, replay.output) else { return nil }
            if !CaptureBundle.isBundle(path: replay.file) {
                // A bare trace: the profile it reveals, as headless replay picks it.
                r = ViewerRequest(source: r.source, configuration: ReplaySetup.configuration(forTrace: replay.file, options: replay.machine).0,
                                  seed: r.seed, projector: r.projector)
            }
            r.kernelFromCommandLine = replay.machine.kernelOption
            r.placement = !replay.simulate
            return .viewer(r)
        default:
            break
        }
        return nil
    }

    /// Parses `arguments` and runs the command, turning every error into a message and an exit
    /// code: 0 on success, 2 for a bad command line, 1 for a failed run (standard output that could
    /// not be written included).
    public static func main(arguments: [String]) -> Int32 {
        do { return run(try parseAsRoot(arguments)) } catch { return report(error) }
    }

    /// Runs a parsed command; errors become a message and an exit code as in ``main(arguments:)``.
    static func run(_ parsed: any ParsableCommand) -> Int32 {
        var command = parsed
        return run { try command.run() }
    }

    /// Runs `body` as a command's run, with its errors reported as for any command.
    static func run(_ body: () throws -> Void) -> Int32 {
        do {
            try body()
            try StandardOutput.finish()
            return 0
        } catch {
            return report(error)
        }
    }

    /// Prints the message for `error` (help text to standard output) and returns the exit code.
    static func report(_ error: any Error) -> Int32 {
        let code = exitCode(for: error)
        if code == .success {
            // --help and --version: the parser's text goes to standard output.
            print(fullMessage(for: error))
            return 0
        }
        if code == .validationFailure {
            // One line naming the option, as a person fixing a typo wants it; exit 2 like getopt tools.
            standardError("memtop: " + message(for: error).split(separator: "\n").joined(separator: " ") + "\n")
            return 2
        }
        if let failure = error as? RunFailure {
            standardError("memtop: " + failure.message + "\n")
            return failure.exitCode
        }
        standardError("memtop: " + message(for: error) + "\n")
        return code.rawValue
    }
}
