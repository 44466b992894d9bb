import Allocators
import HeapModel
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
        var run = workload.start(options.seed, configuration)
        var steps = 0
        var eventCount = 0
        while run.step(&machine) {
            steps += 1
            if machine.events.pending.count >= 4096 { eventCount += flush(&machine, to: writer, report: &report) }
        }
        eventCount += flush(&machine, to: writer, report: &report)
        try writer?.close()
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

    private static func flush(_ machine: inout Machine, to writer: TextFileWriter?, report: inout AllocationReport) -> Int {
        let events = machine.takeEvents()
        report.absorb(events, in: machine)
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
