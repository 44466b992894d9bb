import ArgumentParser
import HeapModel

#if canImport(Glibc)
import Glibc
#endif

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
