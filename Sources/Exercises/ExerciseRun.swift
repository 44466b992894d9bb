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

extension Machine {
    /// The free blocks heading inside `range`, as (first frame, order), lowest frame first.
    /// - Complexity: O(range.count).
    func freeBlocks(in range: Range<Int>) -> [(pfn: Int, order: Int)] {
        var out: [(pfn: Int, order: Int)] = []
        var p = range.lowerBound
        while p < range.upperBound {
            let pfn = PageFrameNumber(p)
            if owner(of: pfn) == .free, let order = blockOrder(at: pfn) {
                out.append((p, order))
                p += 1 << order
            } else {
                p += 1
            }
        }
        return out
    }

    /// The buddyinfo line of one zone (`Node 0, zone DMA ...`), as `/proc/buddyinfo` prints it.
    func buddyinfoLine(_ zone: ZoneKind) -> String {
        let name = "zone " + String(repeating: " ", count: max(0, 8 - zone.description.count)) + zone.description + " "
        return buddyinfo().split(separator: "\n").first { $0.contains(name) }.map { String($0).trimmingTrailingSpaces } ?? ""
    }
}

extension String {
    /// The string without trailing spaces.
    var trimmingTrailingSpaces: String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

/// Small text helpers shared by the exercises.
enum Phrase {
    /// `pfn 256 (order 3)` for each block, joined.
    static func blocks(_ blocks: [(pfn: Int, order: Int)]) -> String {
        blocks.isEmpty ? "none" : blocks.map { "\($0.pfn) (order \($0.order))" }.joined(separator: ", ")
    }

    /// "1 page" / "8 pages".
    static func pages(_ n: Int) -> String { n == 1 ? "1 page" : "\(n) pages" }

    /// "1 object" / "3 objects" and the like.
    static func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }
}
