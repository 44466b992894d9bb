import HeapModel
import Operations

/// A built-in, deterministic workload: a named sequence of operations on a machine.
///
/// A workload is stepped a few operations at a time so that the viewer can draw between steps and
/// a headless run can go straight to the end. Every operation goes through the runner it is given
/// (so `memtop record` sees them all); the same seed gives the same operations.
public protocol WorkloadRun: Sendable {
    /// Applies the next operations through `ops` to `machine`. Returns false when the workload has finished.
    mutating func step(_ ops: inout OperationRunner, _ machine: inout Machine) -> Bool
    /// Counts the buffers of the run's own state that grow with the machine (lists of pages or
    /// objects it holds), for time travel's memory budget. Most runs keep little and count nothing.
    func count(in census: inout StorageCensus)
}

extension WorkloadRun {
    /// Counts nothing: the run's state is small.
    public func count(in census: inout StorageCensus) {}
}
