import Allocators
import HeapModel
import Operations

/// A machine and an operation runner that an exercise's generator drives one operation at a time,
/// keeping each operation's outcome and events, so that answers are read from the machine the
/// operations produced and never from a formula of their own.
///
/// # Invariants
/// - `operations`, `outcomes` and `events` have one entry per operation applied, in order.
struct ExerciseRun {
    /// The machine, freshly booted with the quiz's configuration, then changed by the operations.
    private(set) var machine: Machine
    private var runner = OperationRunner()
    private let topic: QuizTopic
    /// The operations applied so far.
    private(set) var operations: [Operation] = []
    /// What each operation returned.
    private(set) var outcomes: [Outcome] = []
    /// The events each operation recorded.
    private(set) var events: [[HeapEvent]] = []

    /// Boots the machine the exercise runs on.
    /// - Throws: ``QuizError/machine(_:)`` when the configuration cannot be simulated.
    init(_ configuration: MachineConfiguration, topic: QuizTopic) throws(QuizError) {
        do { machine = try Kernel.boot(configuration) } catch { throw .machine(error) }
        self.topic = topic
        machine.setRecording(true)
        _ = machine.takeEvents()
    }

    /// The kernel profile the machine follows.
    var kernel: KernelVersion { machine.configuration.kernel }

    /// Applies one operation, keeping its outcome and events.
    /// - Returns: what the operation returned.
    /// - Throws: ``QuizError/operationRefused(topic:step:_:)`` when the runner refuses it.
    @discardableResult
    mutating func run(_ op: Operation) throws(QuizError) -> Outcome {
        let outcome: Outcome
        do { outcome = try runner.apply(op, to: &machine) } catch {
            throw .operationRefused(topic: topic, step: operations.count + 1, error)
        }
        operations.append(op)
        outcomes.append(outcome)
        events.append(machine.takeEvents())
        return outcome
    }

    /// The address a handle names now.
    func address(of handle: Handle) -> VirtualAddress? { runner.resolve(handle) }
}

extension String {
    /// The string without trailing spaces.
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}
