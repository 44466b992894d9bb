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
            abstract: "List the classroom lessons, or play one.",
            discussion: """
                A lesson narrates (say), pauses for the teacher (pause: any key goes on), and asks the class \
                (ask: the answer appears on the next key). Headless, it prints the narration, questions, answers \
                and the files each step shows, as a handout.
                """
        )

        /// Which lesson.
        @Argument(help: "The lesson to play; without it, the lessons are listed.")
        public var lesson: String?

        /// The machine.
        @OptionGroup public var machine: MachineOptions

        /// The output options.
        @OptionGroup public var output: OutputOptions

        /// Creates the command (needed by the parser).
        public init() {}

        /// Checks that the lesson exists.
        public func validate() throws {
            if let lesson, Lessons.named(lesson) == nil {
                throw ValidationError("unknown lesson '\(lesson)'; known: \(Lessons.all().map(\.name).joined(separator: ", "))")
            }
        }

        /// Lists the lessons, or prints one as a handout.
        public func run() throws {
            guard let name = lesson else {
                let lessons = Lessons.all()
                if lessons.isEmpty { throw RunFailure("no lessons found (set MEMTOP_ASSETS to the assets folder)") }
                let width = lessons.map(\.name.count).max() ?? 0
                for l in lessons { print(l.name + String(repeating: " ", count: width - l.name.count + 2) + l.title) }
                return
            }
            guard let l = Lessons.named(name) else { return }
            print(try Demo.handout(l, machine: machine.machineConfiguration))
        }

        /// The lesson as text: narration, questions with their answers, and the files shown.
        public static func handout(_ lesson: Lessons.Lesson, machine configuration: MachineConfiguration) throws -> String {
            var m = try RunFailure.boot(configuration)
            m.setRecording(true)
            var native = NativeTraceReplayer(file: lesson.path, kernel: configuration.kernel)
            var out = "# \(lesson.title)\n\n"
            do {
                let source = try LineSource(path: lesson.path)
                while let line = try source.nextLine() {
                    let op = try native.apply(line, number: source.lineNumber, to: &m)
                    for e in m.takeEvents() {
                        if case .contractViolated(let v) = e.kind { out += v.report + "\n\n" }
                    }
                    if case .narrate(let n)? = op { out += handoutText(n, machine: m) }
                }
            } catch {
                throw RunFailure(error.description)
            }
            return out
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
                var text = f.render(m)
                if f == .slabinfo {
                    // Handouts show the caches in use, not all fifty empty ones.
                    text = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
                        .filter { $0.offset < 2 || !$0.element.contains("      0      0 ") }.map(\.element).joined(separator: "\n")
                }
                out += "\(f.path):\n" + text + "\n"
            }
            return out
        }
    }
}
