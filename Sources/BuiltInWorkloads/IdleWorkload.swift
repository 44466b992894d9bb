import HeapModel
import Operations

/// `idle`: does nothing.
struct IdleWorkload: WorkloadRun {
    mutating func step(_ ops: inout OperationRunner, _ machine: inout Machine) -> Bool { false }
}
