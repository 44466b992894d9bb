import Allocators
import HeapModel
import Operations
import TerminalUI
import BuiltInWorkloads

/// Plays a workload (or a memtop trace) to its end without a terminal and renders the requested text.
public enum HeadlessRun {
    /// Boots the machine, plays `workload`, streams events to `--events-out` if asked, and returns
    /// the text to print: the dumps when `--dump` was given, otherwise a summary.
    /// - Throws: ``RunFailure`` when the machine cannot be built or the events file cannot be written.
    public static func play(workload: Workload, machine options: MachineOptions, output: OutputOptions) throws -> String {
        let configuration = options.machineConfiguration
        var machine = try RunFailure.boot(configuration)
        var sink = try EventSink(output)
        machine.setRecording(true)   // the reports need the events
        var ops = OperationRunner()
        var run = workload.start(options.seed, configuration)
        var steps = 0
        let limit = output.at ?? Int.max
        while steps < limit && run.step(&ops, &machine) {
            steps += 1
            if sink.wantsEachStep || machine.events.pending.count >= 4096 { sink.absorb(&machine) }
        }
        sink.absorb(&machine)
        if let at = output.at, steps < at {
            standardError("memtop: --at \(at) is past the end of \(workload.name) (\(steps) operations); showing its end\n")
        }
        let header = "memtop: workload \(workload.name), seed \(options.seed), kernel \(configuration.kernel), "
            + "\(configuration.cpus) CPUs, \(ByteSize.format(configuration.ramBytes)) RAM\n"
        return try finish(&sink, machine: machine, source: workload.name, steps: steps, header: header,
                          json: [("workload", JSONSummary.string(workload.name)), ("seed", "\(options.seed)")], output: output)
    }

    /// Closes the events file, writes `--export`, and returns the dumps or the summary (text or
    /// JSON, with `json` fields first) of a finished run.
    /// - Throws: ``RunFailure`` when an output cannot be written.
    static func finish(_ sink: inout EventSink, machine: Machine, source: String, steps: Int, header: String,
                       json: [(String, String)], output: OutputOptions) throws -> String {
        try sink.close(machine)
        let configuration = machine.configuration
        if let path = output.export {
            try Export.write(machine: machine, source: source, steps: steps, log: sink.lastLines, to: path,
                             projector: output.theme == .projector)
        }
        if let dump = output.dump, output.summary != .json { return dump.render(machine) }
        if output.summary == .json {
            // One document: the --dump files, when asked for, are in it.
            let dumps = output.dump.map { [("dumps", JSONSummary.object($0.files.map { ($0.rawValue, JSONSummary.string($0.render(machine))) }))] } ?? []
            return JSONSummary.object(json + [
                ("kernel", JSONSummary.string(configuration.kernel.rawValue)), ("cpus", "\(configuration.cpus)"),
                ("ram_bytes", "\(configuration.ramBytes)"), ("steps", "\(steps)"), ("events", "\(sink.count)"),
                ("zones", JSONSummary.zones(machine)), ("call_sites", JSONSummary.sites(sink.report, machine)),
                ("caches", JSONSummary.caches(machine)), ("violations", JSONSummary.violations(sink.report)),
            ] + dumps) + "\n"
        }
        var text = header
        text += "steps: \(steps), events: \(sink.count)"
        text += "\n\n" + machine.zoneSummary()
        text += "\nAllocations by call site:\n" + sink.report.siteTable(machine)
        text += "\nInternal fragmentation by cache (live objects):\n" + machine.cacheWasteTable()
        text += "\nViolations:\n" + sink.report.violationText
        return text
    }
}

/// Where a headless run's events go: the report by call site, the last log lines (for
/// `--export`), and the JSON Lines of `--events-out`.
struct EventSink {
    /// The `--events-out` file.
    let writer: TextFileWriter?
    /// The `--perfetto` timeline.
    var perfetto: PerfettoTrace?
    /// Whether to keep the last log lines (only `--export` draws them).
    let keepsLog: Bool
    var report = AllocationReport()
    var lastLines: [LogLine] = []
    /// Events taken so far.
    var count = 0

    /// A sink for the outputs `output` asks for.
    /// - Throws: ``RunFailure`` when the events file cannot be opened.
    init(_ output: OutputOptions) throws {
        try self.init(eventsOut: output.eventsOut, keepsLog: output.export != nil)
        perfetto = try output.perfetto.map { try PerfettoTrace(path: $0) }
    }

    /// Whether every operation's events must be taken as it happens (the timeline samples between
    /// operations; JSON Lines name the line of each event).
    var wantsEachStep: Bool { writer != nil || perfetto != nil }

    /// A sink writing `eventsOut` (if any), keeping the last log lines when `keepsLog`.
    init(eventsOut: String? = nil, keepsLog: Bool = false) throws {
        writer = try eventsOut.map { try TextFileWriter(path: $0) }
        self.keepsLog = keepsLog
    }

    /// Takes the machine's pending events; `line` is the trace line that caused them, if any, and
    /// `time` the trace's clock in µs when it has one.
    mutating func absorb(_ machine: inout Machine, line: Int? = nil, time: Double? = nil) {
        let events = machine.takeEvents()
        guard !events.isEmpty else { return }
        count += events.count
        report.absorb(events, in: machine)
        perfetto?.absorb(events, machine: machine, count: count, time: time)
        if keepsLog {
            for e in events.suffix(40) { lastLines += EventFormatter.lines(e, in: machine) }
            if lastLines.count > 80 { lastLines.removeFirst(lastLines.count - 80) }
        }
        guard let writer else { return }
        var chunk = ""
        chunk.reserveCapacity(events.count * 120)
        for event in events {
            chunk += event.jsonLine(in: machine, line: line)
            chunk += "\n"
        }
        writer.write(chunk)
    }

    /// Marks a narration line on the timeline.
    mutating func narrate(_ narration: Narration, machine: Machine, time: Double? = nil) {
        perfetto?.narrate(narration, machine: machine, count: count, time: time)
    }

    /// Closes the events file and the timeline (after its last sample of `machine`).
    /// - Throws: ``RunFailure`` when either could not be written.
    mutating func close(_ machine: Machine, time: Double? = nil) throws {
        try writer?.close()
        try perfetto?.close(machine, count: count, time: time)
        perfetto = nil
    }
}

extension RunFailure {
    /// Boots a machine, or fails with exit status 2 naming the configuration's problem.
    static func boot(_ configuration: MachineConfiguration) throws -> Machine {
        do { return try Kernel.boot(configuration) } catch { throw RunFailure(error.description, exitCode: 2) }
    }
}

/// Writing the screen of a machine to a file, for `--export` and the viewer's `e`.
public enum Export {
    /// Renders the 160x50 screen of `machine` and writes it as SVG, text or HTML by the extension.
    /// - Throws: ``RunFailure`` for an unknown extension or an unwritable file.
    public static func write(machine: Machine, source: String, steps: Int, log: [LogLine], to path: String,
                             projector: Bool = false, width: Int = 160, height: Int = 50) throws {
        var state = ViewState()
        state.playing = false
        let snapshot = FrameSnapshot(machine: machine, status: StatusInfo(source: source, step: steps, total: steps, speed: 0,
                                                                          playing: false, finished: true), log: log)
        let buffer = Screen.render(snapshot, state: state, theme: Theme(mode: .full256, projector: projector), width: width, height: height).0
        try write(buffer, machine: machine, title: "memtop — \(source)", to: path)
    }

    /// Writes `buffer` as SVG, text or HTML by the extension of `path`.
    public static func write(_ buffer: CellBuffer, machine: Machine, title: String, to path: String) throws {
        let text: String
        if path.hasSuffix(".svg") { text = ScreenExport.svg(buffer) }
        else if path.hasSuffix(".txt") { text = buffer.text + "\n" }
        else if path.hasSuffix(".html") {
            let files: [ProcFile] = [.slabinfo, .buddyinfo, .extfragIndex, .unusableIndex, .vmallocinfo]
            text = ScreenExport.html(buffer, title: title, files: files.map { ($0.path, $0.render(machine)) })
        } else {
            throw RunFailure("--export \(path): expected a file ending in .svg, .txt or .html")
        }
        let writer = try TextFileWriter(path: path)
        writer.write(text)
        try writer.close()
    }
}
