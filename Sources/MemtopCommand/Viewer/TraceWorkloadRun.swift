import BuiltInWorkloads
import HeapModel
import Operations
import Traces

/// A trace stepped one line at a time, as a workload is. Used from the viewer's one thread only,
/// which is why the reference to the reader can be `@unchecked Sendable`.
struct TraceWorkloadRun: WorkloadRun, @unchecked Sendable {
    let trace: TraceRun
    mutating func step(_ ops: inout OperationRunner, _ machine: inout Machine) -> Bool { trace.step(&machine) }
}
