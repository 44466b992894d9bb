import ArgumentParser
import HeapModel
import BuiltInWorkloads

#if canImport(Glibc)
import Glibc
#endif

extension Memtop {
    /// `memtop run WORKLOAD`: plays a built-in workload on a simulated machine.
    public struct Run: ParsableCommand {
        /// The workload `memtop` plays with no arguments.
        public static let defaultWorkload = "tour"

        /// Command description.
        public static let configuration = CommandConfiguration(
            abstract: "Play a built-in workload on a simulated machine.",
            discussion: "List the workloads with `memtop workloads`."
        )

        /// Which workload.
        @Argument(help: "The workload to play (see `memtop workloads`).")
        public var workload: String = Run.defaultWorkload

        /// The machine.
        @OptionGroup public var machine: MachineOptions

        /// The output options.
        @OptionGroup public var output: OutputOptions

        /// Creates the command (needed by the parser).
        public init() {}

        /// Checks that the workload exists.
        public func validate() throws {
            guard Workload.named(workload) != nil || Lessons.workloads().contains(where: { $0.name == workload }) else {
                let known = Workload.all.map(\.name) + Lessons.workloads().map(\.name)
                throw ValidationError("unknown workload '\(workload)'; known: \(known.joined(separator: ", "))")
            }
            if Workload.named(workload) == nil, let file = Lessons.workloads().first(where: { $0.name == workload }) {
                try output.refuseOverwriting(input: file.path)
            }
        }

        /// Runs the workload headless and prints what was asked for.
        public func run() throws {
            guard let workload = Workload.named(workload) else {
                // A hand-written workload in assets/workloads: replay it.
                if let file = Lessons.workloads().first(where: { $0.name == workload }) {
                    var replay = try Memtop.Replay.parse([file.path])
                    replay.machine = machine
                    replay.output = output
                    try replay.run()
                }
                return
            }
            let result = try HeadlessRun.play(workload: workload, machine: machine, output: output)
            if output.printsSummary { print(result, terminator: "") }
        }
    }
}

/// Output options of headless runs.
public struct OutputOptions: ParsableArguments {
    /// Print instead of drawing.
    @Flag(help: "Print a summary (and the --dump files) instead of opening the viewer.")
    public var headless = false

    /// Files to print after the run.
    @Option(help: ArgumentHelp(
        "Comma-separated files to print after the run, in the kernel's format: "
            + ProcFile.allCases.map(\.rawValue).joined(separator: ", ") + ".",
        valueName: "list"))
    public var dump: DumpList?

    /// How the headless summary is printed.
    @Option(help: ArgumentHelp("Print the headless summary as text or json.", valueName: "format"))
    public var summary: SummaryFormat = .text

    /// The viewer's colours.
    @Option(help: ArgumentHelp("Viewer colours: default, or projector (high contrast, one page group per cell).", valueName: "theme"))
    public var theme: ThemeName = .default

    /// Stop after this many operations (trace lines for replay) and print the state as of then.
    @Option(parsing: .unconditional, help: ArgumentHelp("Stop at event N and print the dumps as of then (time travel, headless).", valueName: "N"))
    public var at: Int?

    /// Where to export the final screen: `.svg`, `.txt` or `.html` (with the /proc files).
    @Option(help: ArgumentHelp("After the run, write the screen as .svg, .txt or .html (with the /proc files).", valueName: "file"))
    public var export: String?

    /// JSON Lines destination for every event.
    @Option(name: .customLong("events-out"), help: ArgumentHelp("Write every simulated event as JSON Lines (see docs/events.md); - for stdout.", valueName: "file"))
    public var eventsOut: String?

    /// Chrome trace-event JSON destination for the run's timeline.
    @Option(help: ArgumentHelp("Write the run's timeline (counters and marks) as a trace Perfetto's UI opens (see docs/perfetto.md).",
                               valueName: "file"))
    public var perfetto: String?

    /// Creates the options with their defaults.
    public init() {}

    /// Checks values the types alone cannot.
    public func validate() throws {
        if let at, at < 0 { throw ValidationError("--at must be an event number, 0 or more; got \(at)") }
        if eventsOut == "-" && (dump != nil || summary == .json) {
            throw ValidationError("--events-out - writes JSON Lines to standard output; --dump and --summary json would go there "
                                  + "too: write the events to a file instead")
        }
    }

    /// Whether the summary (or dumps) go to standard output: not when it carries `--events-out -`.
    public var printsSummary: Bool { eventsOut != "-" }

    /// Whether to open the viewer: no --headless and nothing asked that only a headless run prints.
    public var wantsViewer: Bool {
        !headless && dump == nil && eventsOut == nil && perfetto == nil && at == nil && export == nil && summary == .text
    }
}

extension OutputOptions {
    /// Refuses an output file that is the file a run reads, before anything is opened for writing
    /// (`--events-out T` would otherwise truncate the trace `T` it is about to replay).
    ///
    /// Two names are the same file when they are equal, or when both exist as regular files with
    /// the same device and inode (a link, a `..` path); `-` is standard input or output, compared
    /// the same way when it is a regular file.
    /// - Parameter input: The path of the trace read, or `-` for standard input.
    /// - Throws: `ValidationError` (exit 2) naming the option.
    public func refuseOverwriting(input: String) throws {
        for (option, output) in [("--events-out", eventsOut), ("--perfetto", perfetto), ("--export", export)] {
            guard let output, OutputOptions.sameFile(output: output, input: input) else { continue }
            throw ValidationError("\(option) \(output) is the input trace; refusing to overwrite it")
        }
    }

    /// Whether writing `output` would overwrite `input`.
    static func sameFile(output: String, input: String) -> Bool {
        if output != "-" && output == input { return true }
        var a = stat(), b = stat()
        let inputKnown = input == "-" ? fstat(0, &a) == 0 : stat(input, &a) == 0
        let outputKnown = output == "-" ? fstat(1, &b) == 0 : stat(output, &b) == 0
        guard inputKnown && outputKnown, a.st_mode & S_IFMT == S_IFREG, b.st_mode & S_IFMT == S_IFREG else { return false }
        return a.st_dev == b.st_dev && a.st_ino == b.st_ino
    }
}

/// The viewer themes.
public enum ThemeName: String, ExpressibleByArgument, Sendable, CaseIterable {
    /// Colours for a terminal on a desk.
    case `default`
    /// High contrast and large blocks, for a projector.
    case projector
}

/// The headless summary's format.
public enum SummaryFormat: String, ExpressibleByArgument, Sendable, CaseIterable {
    /// For people.
    case text
    /// One JSON object, for scripts.
    case json
}

/// A `--dump` list: known file names separated by commas.
public struct DumpList: ExpressibleByArgument, Sendable, Hashable {
    /// The files, in the order given.
    public let files: [ProcFile]

    /// Parses `buddyinfo,extfrag_index`; nil when any name is unknown.
    public init?(argument: String) {
        var files: [ProcFile] = []
        for name in argument.split(separator: ",", omittingEmptySubsequences: true) {
            guard let file = ProcFile(rawValue: String(name).lowercased()) else { return nil }
            if !files.contains(file) { files.append(file) }
        }
        guard !files.isEmpty else { return nil }
        self.files = files
    }

    /// The accepted names, for help.
    public static var allValueStrings: [String] { ProcFile.allCases.map(\.rawValue) }

    /// The files for `machine`: one file alone, several under `==> path <==` headers.
    public func render(_ machine: Machine) -> String {
        if files.count == 1 { return files[0].render(machine) }
        return files.map { "==> \($0.path) <==\n" + $0.render(machine) }.joined(separator: "\n")
    }
}
