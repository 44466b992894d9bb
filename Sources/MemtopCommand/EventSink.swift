import HeapModel
import Operations
import TerminalUI

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

    /// Whether the call-site report is all the sink makes of the events (no events file, timeline or log).
    var onlyReports: Bool { !wantsEachStep && !keepsLog }

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
