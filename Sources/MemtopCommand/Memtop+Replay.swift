import Allocators
import ArgumentParser
import HeapModel
import Traces

extension Memtop {
    /// `memtop replay FILE`: replays a real kernel's ftrace text through the simulation.
    public struct Replay: ParsableCommand {
        /// Command description.
        public static let configuration = CommandConfiguration(
            abstract: "Replay an ftrace capture (plain, .gz, .xz, or - for stdin) through the simulation.",
            discussion: """
                Replays the kmem tracepoints (kmalloc, kmem_cache_alloc, kfree, kmem_cache_free, mm_page_alloc, \
                mm_page_free, mm_page_free_batched) and the vmalloc kprobes of memtop's captures. With --check, \
                compares memtop's decisions (bytes_alloc, large kmalloc orders, vmalloc areas) with the kernel's.
                """
        )

        /// The trace.
        @Argument(help: "The trace file: ftrace text, optionally .gz or .xz; - reads standard input.")
        public var file: String

        /// Compare decisions with the real kernel's.
        @Flag(help: "Compare memtop's decisions with the kernel's; exit 1 on any mismatch.")
        public var check = false

        /// Malformed lines of known events are fatal.
        @Flag(help: "Stop at the first malformed line of a known event instead of counting it.")
        public var strict = false

        /// The machine.
        @OptionGroup public var machine: MachineOptions

        /// The output options.
        @OptionGroup public var output: OutputOptions

        /// Creates the command (needed by the parser).
        public init() {}

        /// Refuses an output that is the trace itself.
        public func validate() throws {
            try output.refuseOverwriting(input: file)
        }

        /// Replays headless and prints the summary, the check and the dumps.
        public func run() throws {
            var base: Machine
            do { base = try Kernel.boot(machine.machineConfiguration) } catch { throw RunFailure(error.description, exitCode: 2) }
            let writer = try output.eventsOut.map { try TextFileWriter(path: $0) }
            base.setRecording(true)   // the reports need the events
            var report = AllocationReport()
            var replayer = FtraceReplayer(machine: base, file: file, check: check)
            var native: NativeTraceExecutor?
            let source: LineSource
            do { source = try LineSource(path: file) } catch { throw RunFailure(error.description) }
            var sawAnyLine = false
            do {
                if let first = try source.nextLine() {
                    sawAnyLine = true
                    if String(first).trimmingSpaces() == NativeTraceParser.header {
                        var executor = NativeTraceExecutor(machine: base, file: file)
                        executor.machine.setRecording(true)
                        while source.lineNumber < (output.at ?? Int.max), let text = try source.nextLine() {
                            if let op = try NativeTraceParser.parse(text, number: source.lineNumber, file: file) {
                                try executor.apply(op, line: source.lineNumber)
                                if op.op == "say" || op.op == "ask" { print((op.op == "ask" ? "? " : "» ") + (op.text ?? "")) }
                            }
                        }
                        native = executor
                    } else {
                        try replayer.apply(first, line: source.lineNumber, strict: strict)
                        try replayLines(source, &replayer, writer: writer, report: &report)
                    }
                }
            } catch {
                throw RunFailure(error.description)
            }
            guard sawAnyLine else { throw RunFailure("\(file): expected ftrace text or a memtop trace, found an empty file") }
            if var native {
                try writer?.close()
                let events = native.machine.takeEvents()
                print("replay: \(file): \(source.lineNumber) lines, memtop trace; \(events.filter { $0.kindName == "violation" }.count) violations")
                if let dump = output.dump { print(dump.render(native.machine), terminator: "") }
                return
            }
            report.absorb(replayer.takeEvents(), in: replayer.machine)
            try writer?.close()
            if output.summary == .json && output.dump == nil {
                let sm = replayer.summary
                var fields: [(String, String)] = [
                    ("file", JSONSummary.string(file)), ("lines", "\(sm.lines)"),
                    ("events", JSONSummary.object(sm.events.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") })),
                    ("applied", JSONSummary.object(sm.applied.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") })),
                    ("unknown_events", JSONSummary.object(sm.unknownEvents.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") })),
                    ("malformed_lines", "\(sm.malformed.count)"), ("lost_events", "\(sm.lostEvents)"),
                    ("frees_of_unknown", "\(sm.freesOfUnknown)"), ("live_at_end", "\(replayer.liveAtEnd)"),
                    ("call_sites", JSONSummary.sites(report, replayer.machine)), ("caches", JSONSummary.caches(replayer.machine)),
                    ("violations", JSONSummary.violations(report)),
                ]
                if let c = replayer.check {
                    fields.append(("check", JSONSummary.object([
                        ("compared", "\(c.compared)"),
                        ("mismatches", JSONSummary.array(c.mismatches.map {
                            JSONSummary.object([("kind", JSONSummary.string($0.kind)), ("line", "\($0.line)"), ("detail", JSONSummary.string($0.detail))])
                        })),
                    ])))
                }
                print(JSONSummary.object(fields))
                if let c = replayer.check, !c.mismatches.isEmpty { throw ExitCode(1) }
                return
            }
            print(Replay.report(replayer, file: file, check: check), terminator: "")
            if output.dump == nil && !check {
                print("\nAllocations by call site:\n" + report.siteTable(replayer.machine), terminator: "")
                print("\nInternal fragmentation by cache (live objects):\n" + replayer.machine.cacheWasteTable(), terminator: "")
                print("\nViolations:\n" + report.violationText, terminator: "")
            }
            if let dump = output.dump { print(dump.render(replayer.machine), terminator: "") }
            if let report = replayer.check, !report.mismatches.isEmpty { throw ExitCode(1) }
        }

        /// Replays the rest of `source` straight from its bytes (no string per line), reading on a
        /// second thread while the simulation runs on this one.
        func replayLines(_ source: LineSource, _ replayer: inout FtraceReplayer, writer: TextFileWriter?,
                         report: inout AllocationReport) throws(TraceInputError) {
            let strict = self.strict   // a property wrapper's getter is too slow to call per line
            try replayer.replayAll(from: source, upTo: output.at ?? Int.max, strict: strict) { replayer, line in
                if let writer {
                    // Per line, so every event carries the line that caused it.
                    let events = replayer.takeEvents()
                    if !events.isEmpty {
                        report.absorb(events, in: replayer.machine)
                        var chunk = ""
                        for e in events { chunk += e.jsonLine(in: replayer.machine, line: line) + "\n" }
                        writer.write(chunk)
                    }
                } else if line % 4096 == 0 {
                    report.absorb(replayer.takeEvents(), in: replayer.machine)
                }
            }
        }

        /// The summary text (and the check's mismatches grouped by kind).
        static func report(_ r: FtraceReplayer, file: String, check: Bool) -> String {
            let s = r.summary
            let total = s.events.values.reduce(0, +)
            var out = "replay: \(file): \(s.lines) lines, \(total) events\n"
            for (name, n) in s.events.sorted(by: { $0.value > $1.value }) { out += "  \(pad(name, 26)) \(n)\n" }
            out += "applied: " + s.applied.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
            out += "skipped: \(s.unknownEvents.values.reduce(0, +)) events of unknown kinds"
            out += s.unknownEvents.isEmpty ? "" : " (" + s.unknownEvents.keys.sorted().joined(separator: ", ") + ")"
            out += ", \(s.malformed.count) malformed lines\n"
            out += "frees of objects allocated before tracing began: \(s.freesOfUnknown); still live at the end: \(r.liveAtEnd)\n"
            if s.lostEvents > 0 { out += "the ring buffer lost \(s.lostEvents) events\n" }
            if s.simulationFailures > 0 { out += "allocations the simulation could not satisfy: \(s.simulationFailures)\n" }
            if s.violations > 0 { out += "contract violations: \(s.violations)\n" }
            for m in s.malformed.prefix(5) { out += "malformed: \(m)\n" }
            if check, let c = r.check {
                let byKind = Dictionary(grouping: c.mismatches, by: \.kind)
                for (kind, list) in byKind.sorted(by: { $0.key < $1.key }) {
                    out += "mismatches in \(kind): \(list.count)\n"
                    for m in list.prefix(20) { out += "  \(file):\(m.line): \(m.detail)\n" }
                    if list.count > 20 { out += "  ... \(list.count - 20) more\n" }
                }
                out += "check: \(total) events, \(c.compared) compared, \(c.mismatches.count) mismatches\n"
            }
            return out
        }
    }
}
