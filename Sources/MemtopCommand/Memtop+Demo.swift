import Allocators
import ArgumentParser
import HeapModel
import Operations
import Traces

extension Memtop {
    /// `memtop demo [NAME]`: lists the lessons, or plays one.
    public struct Demo: ParsableCommand {
        /// Command description.
        public static let configuration = CommandConfiguration(
            commandName: "demo",
            abstract: "List the classroom lessons, or play one.",
            discussion: """
                A lesson narrates (say), pauses for the teacher (pause: any key goes on), and asks the class \
                (ask: the answer appears on the next key). Headless, it prints the narration, questions, answers \
                and the files each step shows, as a handout.
                """
        )

        /// Which lesson.
        @Argument(help: ArgumentHelp("The lesson to play, by name or as a file (a memtop trace with say, ask and pause lines; "
                                     + "see docs/trace-format.md); without it, the lessons are listed.", valueName: "lesson|file"))
        public var lesson: String?

        /// A folder of the teacher's own lessons.
        @Option(help: ArgumentHelp("A folder of your own lessons (.trace files), listed and played with the built-in ones; "
                                   + "the config file's lessons = DIR sets it.", valueName: "dir"))
        public var lessons: String?

        /// Where to write the lesson's slides.
        @Option(help: ArgumentHelp("Write the lesson as slides into DIR: one SVG at each stop (projector theme, 160x50), "
                                   + "and index.html, the deck with the narration, questions and answers.", valueName: "dir"))
        public var slides: String?

        /// The machine.
        @OptionGroup public var machine: MachineOptions

        /// The output options.
        @OptionGroup public var output: OutputOptions

        /// Creates the command (needed by the parser).
        public init() {}

        /// Checks that the lesson exists and that no output overwrites it.
        public func validate() throws {
            if let lessons, Lessons.traces(at: lessons).isEmpty {
                throw ValidationError("--lessons \(lessons): expected a folder of .trace lesson files")
            }
            guard let lesson else { return }
            guard let found = Lessons.named(lesson, folder: lessons) else {
                let known = Lessons.all(folder: lessons).map(\.name).joined(separator: ", ")
                throw ValidationError("unknown lesson '\(lesson)' (not a lesson name, nor a readable file); known: \(known)")
            }
            try output.refuseOverwriting(input: found.path)
        }

        /// The lesson asked for.
        public var chosen: Lessons.Lesson? { lesson.flatMap { Lessons.named($0, folder: lessons) } }

        /// Lists the lessons, or plays one headless: its handout, or the `--dump` files as of its end
        /// (or of `--at`), with `--events-out` and `--export` as for `run`.
        public func run() throws {
            guard let l = chosen else {
                let all = Lessons.all(folder: lessons)
                if all.isEmpty { throw RunFailure("no lessons found (set MEMTOP_ASSETS to the assets folder, or use --lessons DIR)") }
                let width = all.map(\.name.count).max() ?? 0
                for l in all { print(l.name + String(repeating: " ", count: width - l.name.count + 2) + l.title) }
                return
            }
            if let slides {
                let n = try Slides.write(l, configuration: machine.machineConfiguration, to: slides)
                print("memtop: \(n) slides of \(l.name) in \(slides) (index.html is the deck)")
                return
            }
            var sink = try EventSink(output)
            let played = try Demo.play(l, machine: machine.machineConfiguration, until: output.at, sink: &sink)
            if let at = output.at, played.steps < at {
                standardError("memtop: --at \(at) is past the end of \(l.name) (\(played.steps) lines); showing its end\n")
            }
            let header = "memtop: lesson \(l.name), kernel \(played.machine.configuration.kernel)\n"
            if output.dump == nil && output.summary == .text {
                try sink.close(played.machine)
                if let path = output.export {
                    try Export.write(machine: played.machine, source: l.name, steps: played.steps, log: sink.lastLines, to: path,
                                     projector: output.theme == .projector)
                }
                if output.printsSummary { print(played.handout, terminator: "") }
                return
            }
            let text = try HeadlessRun.finish(&sink, machine: played.machine, source: l.name, steps: played.steps, header: header,
                                         json: [("lesson", JSONSummary.string(l.name))], output: output)
            if output.printsSummary { print(text, terminator: "") }
        }

        /// The lesson as text: narration, questions with their answers, and the files shown.
        public static func handout(_ lesson: Lessons.Lesson, machine configuration: MachineConfiguration) throws -> String {
            var sink = try EventSink()
            return try play(lesson, machine: configuration, sink: &sink).handout
        }

        /// Plays `lesson` to its end (or to line `until`), events into `sink`.
        /// - Returns: The handout, the machine as it ends, and the lines played.
        static func play(_ lesson: Lessons.Lesson, machine configuration: MachineConfiguration, until: Int? = nil,
                         sink: inout EventSink) throws -> (handout: String, machine: Machine, steps: Int) {
            var m = try RunFailure.boot(configuration)
            m.setRecording(true)
            var native = NativeTraceReplayer(file: lesson.path, kernel: configuration.kernel)
            var out = "# \(lesson.title)\n\n"
            var steps = 0
            do {
                let source = try LineSource(path: lesson.path)
                while steps < (until ?? .max), let line = try source.nextLine() {
                    steps += 1
                    let op = try native.apply(line, number: source.lineNumber, to: &m)
                    for e in m.events.pending {
                        if case .contractViolated(let v) = e.kind { out += v.report + "\n\n" }
                    }
                    sink.absorb(&m, line: source.lineNumber)
                    if case .narrate(let n)? = op {
                        sink.narrate(n, machine: m)
                        out += handoutText(n, machine: m)
                    }
                }
            } catch {
                throw RunFailure(error.description)
            }
            return (out, m, steps)
        }

        /// One narration line of a handout, with the files it shows.
        static func handoutText(_ n: Narration, machine m: Machine) -> String {
            var out = ""
            switch n.kind {
            case .ask: out += "Q: \(n.text)\nA: \(n.answer ?? "")\n\n"
            case .mark: out += "--- \(n.text) ---\n\n"
            case .say, .pause: if !n.text.isEmpty { out += n.text + "\n\n" }
            }
            for file in n.show {
                guard let f = ProcFile(rawValue: file) else { continue }
                // Handouts show the caches in use, not all fifty empty ones.
                out += "\(f.path):\n" + Lessons.shownText(f, machine: m) + "\n"
            }
            return out
        }
    }
}
