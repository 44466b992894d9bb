import HeapModel
import Operations

/// How the built-in workloads apply their operations.
extension OperationRunner {
    /// Applies an operation a workload built; workloads name allocations by address, which cannot
    /// name a missing allocation, so there is no error to handle.
    @discardableResult
    mutating func run(_ op: Operation, _ machine: inout Machine) -> Outcome {
        (try? apply(op, to: &machine)) ?? .done
    }
}
