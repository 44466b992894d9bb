import ArgumentParser
import Exercises
import HeapModel

extension Memtop {
    /// `memtop quiz [TOPIC]`: seeded exercises on the allocators, answered by memtop's own engine.
    public struct Quiz: ParsableCommand {
        /// Command description, with the topics listed.
        public static let configuration = CommandConfiguration(
            commandName: "quiz",
            abstract: "Print seeded exercises on the allocators; --answers adds the engine's answers.",
            discussion: """
                OSTEP-style: each exercise lists operations in memtop's trace syntax and asks what state they leave; \
                the answers come from running them on the simulated machine of --kernel, --cpus and --ram. \
                The same seed gives the same quiz. Topics (without one, one exercise of each):
                """ + "\n" + QuizTopic.allCases.map { "  \($0.rawValue): \($0.summary)" }.joined(separator: "\n")
        )

        /// The topic, if one.
        @Argument(help: ArgumentHelp("One of \(QuizTopic.names.joined(separator: ", ")); without it, one exercise of each.",
                                     valueName: "topic"))
        public var topic: String?

        /// The machine and the seed.
        @OptionGroup public var machine: MachineOptions

        /// Whether to print the answers.
        @Flag(help: "Print each question's answer, computed by memtop's engine.")
        public var answers = false

        /// Print one exercise as a memtop trace instead.
        @Option(help: ArgumentHelp("Print exercise N's operations as a memtop trace, for `memtop replay -`.", valueName: "N"))
        public var trace: Int?

        /// Creates the command (needed by the parser).
        public init() {}

        /// The topics asked for.
        var topics: [QuizTopic] { topic.flatMap(QuizTopic.init(rawValue:)).map { [$0] } ?? [] }

        /// Checks the topic and the exercise number.
        public func validate() throws {
            if let topic, QuizTopic(rawValue: topic) == nil {
                throw ValidationError("unknown topic '\(topic)'; known: \(QuizTopic.names.joined(separator: ", "))")
            }
            let count = topics.isEmpty ? QuizTopic.allCases.count : 1
            if let trace, !(1...count).contains(trace) {
                throw ValidationError("--trace must be between 1 and \(count), got \(trace)")
            }
        }

        /// Generates the quiz and prints it (or one exercise's trace).
        /// - Throws: ``RunFailure`` when the quiz cannot be generated.
        public func run() throws {
            let quiz: Exercises.Quiz
            do {
                quiz = try Exercises.Quiz(seed: machine.seed, topics: topics, configuration: machine.machineConfiguration)
            } catch {
                throw RunFailure(error.description, exitCode: 1)
            }
            if let trace {
                print(quiz.trace(exercise: trace) ?? "", terminator: "")
            } else {
                print(quiz.text(answers: answers), terminator: "")
            }
        }
    }
}
