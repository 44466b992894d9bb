import HeapModel
import Operations

/// Why a quiz could not be generated.
public enum QuizError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The machine configuration cannot be simulated.
    case machine(MachineConfiguration.Problem)
    /// An exercise's own operation was refused by the runner (a bug in the generator).
    case operationRefused(topic: QuizTopic, step: Int, OperationError)
    /// A topic name memtop does not know.
    case unknownTopic(String)

    /// A one-line explanation.
    public var description: String {
        switch self {
        case .machine(let problem): problem.description
        case let .operationRefused(topic, step, error): "\(topic.rawValue) exercise, operation \(step): \(error)"
        case .unknownTopic(let name): "unknown topic '\(name)'; known: \(QuizTopic.names.joined(separator: ", "))"
        }
    }
}
