import Allocators
import ArgumentParser
import HeapModel
import Operations
import Captures
import Reconstruction
import Traces

extension Memtop {
    /// `memtop replay FILE`: replays a real kernel's ftrace text through the simulation.
    public struct Replay: ParsableCommand {
        /// Command description.
        public static let configuration = CommandConfiguration(
            commandName: "replay",
            abstract: "Replay an ftrace capture or a trace-cmd trace.dat (plain, .gz, .xz, or - for stdin) through the simulation.",
            discussion: """
                Replays the kmem tracepoints (kmalloc, kmem_cache_alloc, kfree, kmem_cache_free, mm_page_alloc, \
                mm_page_free, mm_page_free_batched) and the vmalloc kprobes of memtop's captures. With --check, \
                compares memtop's decisions (bytes_alloc, large kmalloc orders, vmalloc areas) with the kernel's.
                """
        )

        /// The trace.
        @Argument(help: "The trace file: ftrace text or a trace.dat (versions 6 and 7), optionally .gz or .xz; - reads standard input (text only).")
        public var file: String

        /// Compare decisions with the real kernel's.
        @Flag(help: "Compare memtop's decisions with the kernel's; exit 1 on any mismatch.")
        public var check = false

        /// memtop's allocators decide everything (what-if runs), instead of placing pages where the trace says.
        @Flag(help: "Let memtop's allocators decide where every page and object goes, instead of putting them where the trace says the kernel did.")
        public var simulate = false

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
        public func run() throws { try run(speculation: nil) }

        /// Replays headless, taking over `speculation`'s bundle when it is this replay's
        /// (``SpeculativeBundle``).
        func run(speculation: SpeculativeBundle?) throws {
            let plan = ReplaySetup.Plan(file: file, options: machine)
            // The trace is read and decoded on a second thread while the machine is built (from
            // when a bundle's /proc state is read: the parsers of that state need the second core
            // first). What the reading finds wrong is said after what the building finds, as before.
            // Only the --perfetto timeline reads the time per line.
            let timestamps = output.perfetto != nil
            var early: EarlyReading?
            defer { early?.reading?.cancel() }
            let limit = output.at ?? Int.max
            var setup = try ReplaySetup(file: file, plan: plan, options: machine, check: check, placement: !simulate,
                                        prepared: speculation?.take(for: file)) {
                early = plan.map { EarlyReading(trace: $0.trace, kernel: $0.kernel, placement: !simulate, limit: limit, timestamps: timestamps) }
            }
            var sink = try EventSink(output)
            setup.machine.setRecording(true)   // the reports need the events
            do {
                let (source, first, firstLine) = try (early ?? EarlyReading(trace: setup.trace, kernel: nil, placement: !simulate, limit: 0, timestamps: timestamps)).opened()
                guard let first else {
                    throw RunFailure("\(setup.trace): expected ftrace text or a memtop trace, found an empty file")
                }
                if NativeTraceReplayer.isHeader(first) {
                    let text = try replayNative(source, on: &setup.machine, sink: &sink)
                    if output.printsSummary { print(text, terminator: "") }
                    return
                }
                // An ftrace replay's events: when only the reports read them, tallied as they come.
                if sink.onlyReports { setup.machine.tallyEvents(into: sink.report) }
                // The first line's number, not the source's: the reading thread may be past it.
                try setup.replayer.apply(first, line: firstLine, strict: strict, to: &setup.machine)
                let reading = early?.reading ?? TraceReading.start(source, file: setup.trace, kernel: setup.replayer.kernel,
                                                                     placement: !simulate, limit: output.at ?? Int.max, timestamps: timestamps)
                try replayLines(reading, &setup.replayer, on: &setup.machine, sink: &sink)
            } catch let error as TraceInputError {
                throw RunFailure(error.description)
            }
            let time = setup.replayer.timestampMicroseconds
            if let tally = setup.machine.takeTally() { sink.report = tally }
            sink.absorb(&setup.machine, time: time)
            try sink.close(setup.machine, time: time)
            try finish(setup, report: sink.report)
        }

        /// Prints what a finished ftrace replay was asked for; exits 1 when the check failed.
        /// - Throws: ``RunFailure`` when no line of the trace was an event memtop reads (a layout it
        ///   does not know, or the wrong events), rather than a replay that applied nothing.
        func finish(_ setup: ReplaySetup, report: AllocationReport) throws {
            let (replayer, machine) = (setup.replayer, setup.machine)
            let summary = replayer.summary
            if summary.events.count == summary.unknownEvents.count && summary.malformedCount == 0 && summary.lines > 0 {
                let names = summary.unknownEvents.sorted(by: Self.mostFirst).prefix(3).map(\.key).joined(separator: ", ")
                throw RunFailure("\(setup.trace): expected ftrace text, trace-cmd report or perf script of the kmem and vmalloc events, "
                                 + "found no such event in \(summary.lines) lines" + (names.isEmpty ? "" : " (events: \(names))"))
            }
            let comparing = setup.beginEndStateComparison()
            let mismatched = replayer.check.map { $0.mismatchCount > 0 } ?? false
            func failed(_ endState: StateComparison?) -> Bool { mismatched || (check && endState.map { !$0.allWithinTolerance } ?? false) }
            if output.summary == .json {
                let endState = try comparing()
                var json = Replay.json(replayer, machine: machine, report: report, file: setup.trace)
                json.removeLast()   // the closing brace: the profile, the end state and the dumps follow
                json += ",\"kernel\":" + JSONSummary.string(machine.configuration.kernel.rawValue)
                    + ",\"kernel_source\":" + JSONSummary.string(setup.kernelSource)
                if let endState { json += ",\"end_state\":" + endState.renderJSON() }
                if let dump = output.dump {
                    json += ",\"dumps\":" + JSONSummary.object(dump.files.map { ($0.rawValue, JSONSummary.string($0.render(machine))) })
                }
                print(json + "}")
                if failed(endState) { throw ExitCode(1) }
                return
            }
            guard output.printsSummary else {
                // Standard output carries the JSON Lines of --events-out - alone.
                if failed(try comparing()) { throw ExitCode(1) }
                return
            }
            print(Replay.report(replayer, file: setup.trace, check: check), terminator: "")
            print("kernel profile: \(machine.configuration.kernel) (\(setup.kernelSource))")
            for note in setup.notes.prefix(10) { print("start state: \(note)") }
            if output.dump == nil && !check {
                print("\nAllocations by call site:\n" + report.siteTable(machine), terminator: "")
                let chains = machine.callChainReport()
                if !chains.isEmpty { print("\nCall chains (perf script -g) of the most traced sites:\n" + chains, terminator: "") }
                print("\nInternal fragmentation by cache (live objects):\n" + machine.cacheWasteTable(), terminator: "")
                print("\nViolations:\n" + report.violationText, terminator: "")
            }
            let endState = try comparing()
            if let endState, output.dump == nil || check {
                let uncertain = replayer.summary.firstLostLine.map { " (uncertain: events were lost from line \($0) on)" } ?? ""
                print("\nEnd state against \(file)/end (worst first)\(uncertain):\n" + endState.renderText(limit: check ? nil : 25), terminator: "")
            }
            if let dump = output.dump { print(dump.render(machine), terminator: "") }
            if failed(endState) { throw ExitCode(1) }
        }

        /// Replays the rest of a memtop trace and returns what `run` prints for a workload: the
        /// narration as it goes, then the summary (or the dumps).
        func replayNative(_ source: LineSource, on machine: inout Machine, sink: inout EventSink) throws -> String {
            var native = NativeTraceReplayer(file: file, kernel: machine.configuration.kernel)
            var narration = ""
            while source.lineNumber < (output.at ?? Int.max), let text = try source.nextLine() {
                let op = try native.apply(text, number: source.lineNumber, to: &machine)
                sink.absorb(&machine, line: source.lineNumber)
                guard case .narrate(let n)? = op else { continue }
                sink.narrate(n, machine: machine)
                if n.kind == .say || n.kind == .ask, let line = n.logText {
                    narration += (n.kind == .say ? "» " : "") + line + "\n"
                }
            }
            let c = machine.configuration
            let header = narration + "memtop: trace \(file), kernel \(c.kernel), \(c.cpus) CPUs, \(ByteSize.format(c.ramBytes)) RAM\n"
            return try HeadlessRun.finish(&sink, machine: machine, source: file, steps: source.lineNumber, header: header,
                                          json: [("file", JSONSummary.string(file))], output: output)
        }

        /// Replays the rest of `source` straight from its bytes (no string per line), reading on a
        /// second thread while the simulation runs on this one.
        func replayLines(_ reading: TraceReading, _ replayer: inout FtraceReplayer, on machine: inout Machine,
                         sink: inout EventSink) throws(TraceInputError) {
            let strict = self.strict   // a property wrapper's getter is too slow to call per line
            let perLine = sink.wantsEachStep
            let timeline = sink.perfetto != nil
            // With --events-out, per line, so every event carries the line that caused it;
            // with --perfetto, so that the timeline samples between lines, on the trace's clock.
            try replayer.replayAll(reading, strict: strict, on: &machine, every: perLine ? 1 : 4096) { replayer, machine, line in
                let time = timeline ? replayer.timestampMicroseconds : nil
                if timeline { sink.perfetto?.lost(total: replayer.lostEvents, count: sink.count, time: time) }
                sink.absorb(&machine, line: line, time: time)
            }
        }

        /// The `--summary json` document of an ftrace replay.
        static func json(_ replayer: FtraceReplayer, machine: Machine, report: AllocationReport, file: String) -> String {
            let sm = replayer.summary
            func counts(_ d: [String: Int]) -> String { JSONSummary.object(d.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") }) }
            var fields: [(String, String)] = [
                ("file", JSONSummary.string(file)), ("lines", "\(sm.lines)"),
                ("events", counts(sm.events)), ("applied", counts(sm.applied)), ("unknown_events", counts(sm.unknownEvents)),
                ("malformed_lines", "\(sm.malformedCount)"), ("lost_events", "\(sm.lostEvents)"),
                ("uncertain_after_line", sm.firstLostLine.map { "\($0)" } ?? "null"),
                ("frees_of_unknown", "\(sm.freesOfUnknown)"), ("frees_of_untraced_allocations", "\(sm.freesOfUntracedAllocations)"),
                ("live_at_end", "\(replayer.liveAtEnd)"),
                ("call_sites", JSONSummary.sites(report, machine)), ("caches", JSONSummary.caches(machine)),
                ("violations", JSONSummary.violations(report)),
            ]
            if let c = replayer.check {
                fields.append(("check", JSONSummary.object([
                    ("compared", "\(c.compared)"), ("mismatch_count", "\(c.mismatchCount)"),
                    ("mismatches_by_kind", JSONSummary.object(c.mismatchCounts.sorted { $0.key < $1.key }.map { ($0.key, "\($0.value)") })),
                    ("mismatches", JSONSummary.array(c.mismatches.map {
                        JSONSummary.object([("kind", JSONSummary.string($0.kind)), ("line", "\($0.line)"), ("detail", JSONSummary.string($0.detail))])
                    })),
                ])))
            }
            return JSONSummary.object(fields)
        }

        /// The summary text (and the check's mismatches grouped by kind).
        /// Counts largest first, equal counts by name: the same summary on every run.
        static func mostFirst(_ a: (key: String, value: Int), _ b: (key: String, value: Int)) -> Bool {
            a.value != b.value ? a.value > b.value : a.key < b.key
        }

        static func report(_ r: FtraceReplayer, file: String, check: Bool) -> String {
            let s = r.summary
            let total = s.events.values.reduce(0, +)
            var out = "replay: \(file): \(s.lines) lines, \(total) events\n"
            for (name, n) in s.events.sorted(by: Self.mostFirst) { out += "  \(pad(name, 26)) \(n)\n" }
            out += "applied: " + s.applied.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
            out += "skipped: \(s.unknownEvents.values.reduce(0, +)) events of unknown kinds"
            out += s.unknownEvents.isEmpty ? "" : " (" + s.unknownEvents.keys.sorted().joined(separator: ", ") + ")"
            out += ", \(s.malformedCount) malformed lines\n"
            out += "frees of objects allocated before tracing began: \(s.freesOfUnknown); still live at the end: \(r.liveAtEnd)\n"
            if s.freesOfUntracedAllocations > 0 {
                out += "frees of objects allocated with no trace event (kmem_cache_alloc_bulk has no tracepoint): \(s.freesOfUntracedAllocations)\n"
            }
            if s.chainedEvents > 0 {
                let differing = s.chainSitesDiffering.values.reduce(0, +)
                out += "call chains: \(s.chainedEvents) events take their call site from their chain's first frame outside the allocator; "
                    + "\(differing) of them differ from call_site= ("
                    + s.chainSitesDiffering.sorted(by: Self.mostFirst).prefix(3).map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ")\n"
            }
            if s.lostEvents > 0 { out += "the ring buffer lost \(s.lostEvents) events" + (s.firstLostLine.map { ", first at line \($0)" } ?? "") + "\n" }
            if s.simulationFailures > 0 { out += "events the simulation could not apply: \(s.simulationFailures)\n" }
            if s.violations > 0 { out += "contract violations: \(s.violations)\n" }
            let p = s.placement
            if p != PlacementTally() {
                out += "placed as traced: \(p.relocated) blocks of memtop's moved aside, \(p.lostFrees) lost frees, "
                    + "\(p.freesOfFreePages) frees of free pages, \(p.reconstructedFreed) reconstructed blocks freed, " + (p.reservedFreed > 0 ? "\(p.reservedFreed) boot reservations freed, " : "")
                    + "\(p.claimedSlabs) slabs claimed, \(p.revivedObjects) objects from before tracing found, \(p.otherCache) objects in another cache, "
                    + "\(p.pagesNotManaged) pages on unmanaged frames, \(p.objectsNotPlaced) objects not placed"
                    + (p.compactionTargets + p.compactionTargetsMissed > 0
                        ? ", \(p.compactionTargets) compaction targets taken (\(p.compactionTargetsMissed) not found)" : "") + "\n"
            }
            for m in s.malformed.prefix(5) { out += "malformed: \(m)\n" }
            if check, let c = r.check {
                let byKind = Dictionary(grouping: c.mismatches, by: \.kind)
                let lostAt = s.firstLostLine ?? Int.max
                for (kind, list) in byKind.sorted(by: { $0.key < $1.key }) {
                    out += "mismatches in \(kind): \(c.mismatchCounts[kind] ?? list.count)\n"
                    for m in list.prefix(20) { out += "  \(file):\(m.line): \(m.detail)" + (m.line > lostAt ? " (uncertain: after lost events)" : "") + "\n" }
                    if let n = c.mismatchCounts[kind], n > 20 { out += "  ... \(n - 20) more\n" }
                }
                out += "check: \(total) events, \(c.compared) compared, \(c.mismatchCount) mismatches\n"
                if let line = s.firstLostLine {
                    out += "uncertain: the ring buffer lost \(s.lostEvents) events from line \(line) on; mismatches after it, and the end "
                        + "state, may come from the missing allocations and frees rather than from memtop\n"
                }
            }
            return out
        }
    }
}
