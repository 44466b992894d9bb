import Allocators
import HeapModel
import TerminalUI
import Workloads

/// Plays a workload to its end without a terminal and renders the requested text.
public enum HeadlessRun {
    /// Boots the machine, plays `workload`, streams events to `--events-out` if asked, and returns
    /// the text to print: the dumps when `--dump` was given, otherwise a summary.
    /// - Throws: ``RunFailure`` when the machine cannot be built or the events file cannot be written.
    public static func play(workload: Workload, machine options: MachineOptions, output: OutputOptions) throws -> String {
        let configuration = options.machineConfiguration
        var machine: Machine
        do { machine = try Kernel.boot(configuration) } catch { throw RunFailure(error.description, exitCode: 2) }
        let writer = try output.eventsOut.map { try TextFileWriter(path: $0) }
        machine.setRecording(true)   // the reports need the events
        var report = AllocationReport()
        var lastLines: [LogLine] = []
        var run = workload.start(options.seed, configuration)
        var steps = 0
        var eventCount = 0
        let limit = output.at ?? Int.max
        while steps < limit && run.step(&machine) {
            steps += 1
            if machine.events.pending.count >= 4096 { eventCount += flush(&machine, to: writer, report: &report, lines: &lastLines) }
        }
        eventCount += flush(&machine, to: writer, report: &report, lines: &lastLines)
        try writer?.close()
        if let path = output.export {
            try Export.write(machine: machine, source: workload.name, steps: steps, log: lastLines, to: path,
                             projector: output.theme == .projector)
        }
        if let dump = output.dump { return dump.render(machine) }
        if output.summary == .json {
            return JSONSummary.object([
                ("workload", JSONSummary.string(workload.name)), ("seed", "\(options.seed)"),
                ("kernel", JSONSummary.string(configuration.kernel.rawValue)), ("cpus", "\(configuration.cpus)"),
                ("ram_bytes", "\(configuration.ramBytes)"), ("steps", "\(steps)"), ("events", "\(eventCount)"),
                ("zones", JSONSummary.zones(machine)), ("call_sites", JSONSummary.sites(report, machine)),
                ("caches", JSONSummary.caches(machine)), ("violations", JSONSummary.violations(report)),
            ]) + "\n"
        }
        var text = "memtop: workload \(workload.name), seed \(options.seed), kernel \(configuration.kernel), "
        text += "\(configuration.cpus) CPUs, \(ByteSize.format(configuration.ramBytes)) RAM\n"
        text += "steps: \(steps), events: \(eventCount)"
        text += "\n\n" + machine.zoneSummary()
        text += "\nAllocations by call site:\n" + report.siteTable(machine)
        text += "\nInternal fragmentation by cache (live objects):\n" + machine.cacheWasteTable()
        text += "\nViolations:\n" + report.violationText
        return text
    }

    private static func flush(_ machine: inout Machine, to writer: TextFileWriter?, report: inout AllocationReport,
                              lines: inout [LogLine]) -> Int {
        let events = machine.takeEvents()
        report.absorb(events, in: machine)
        for e in events.suffix(40) { lines += EventFormatter.lines(e, in: machine) }
        if lines.count > 80 { lines.removeFirst(lines.count - 80) }
        guard let writer else { return events.count }
        var chunk = ""
        chunk.reserveCapacity(events.count * 120)
        for event in events {
            chunk += event.jsonLine(in: machine)
            chunk += "\n"
        }
        writer.write(chunk)
        return events.count
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
