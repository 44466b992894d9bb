import Allocators
import BuiltInWorkloads
import HeapModel
import Operations
import TerminalUI

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
