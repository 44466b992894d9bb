import HeapModel
import Operations

/// One exercise of a quiz: a setting, the operations a student runs in their head (or replays),
/// and questions whose answers memtop's engine computed by running those operations.
///
/// Every exercise starts on a freshly booted machine of the quiz's configuration, so its
/// operations alone reproduce its state (`memtop quiz --trace N | memtop replay -`).
public struct Exercise: Hashable, Sendable {
    /// What the exercise is about.
    public let topic: QuizTopic
    /// A short title.
    public let title: String
    /// What the student is told before the operations (the machine state they start from).
    public let setting: [String]
    /// The operations, in order; questions refer to them by number (1-based).
    public let operations: [Operation]
    /// Runs of consecutive operations shown as one line (same operation, ids numbered in order).
    public let groups: [Range<Int>]
    /// The questions, each with the engine's answer.
    public let questions: [Question]

    /// An exercise.
    /// - Parameters:
    ///   - groups: ranges of `operations` to show as one line; operations outside every range
    ///     get a line each.
    public init(topic: QuizTopic, title: String, setting: [String], operations: [Operation], groups: [Range<Int>] = [],
                questions: [Question]) {
        self.topic = topic
        self.title = title
        self.setting = setting
        self.operations = operations
        self.groups = groups
        self.questions = questions
    }
}
