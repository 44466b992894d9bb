import Dispatch
import Synchronization

/// A value computed on another thread, waited for when it is needed.
///
/// # Invariants
/// The work runs once; ``value()`` returns only after it has finished, so the result is written
/// before it is read (the semaphore orders the two).
package final class BackgroundResult<Success: Sendable>: Sendable {
    private let result = Mutex<Result<Success, CaptureError>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    /// Starts `work` on a queue of its own. Not the global queue: its threads are as many as the
    /// cores, and the trace's reader, which waits on the replay, holds one; work queued behind
    /// it waited about a second for libdispatch to add a thread.
    package init(_ work: @escaping @Sendable () throws(CaptureError) -> Success) {
        DispatchQueue(label: "memtop.background").async { [self] in
            let r = Result { () throws(CaptureError) in try work() }
            result.withLock { $0 = r }
            done.signal()
        }
    }

    /// What the work returned or threw, once it has finished (waiting for it the first time).
    package func value() -> Result<Success, CaptureError> {
        if let r = result.withLock({ $0 }) { return r }
        done.wait()
        return result.withLock { $0! }
    }
}
