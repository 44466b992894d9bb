import Dispatch
import Synchronization

/// A blocking first-in first-out hand-over of blocks between two threads.
final class BlockQueue: Sendable {
    private let blocks = Mutex<[LineBlock]>([])
    private let available = DispatchSemaphore(value: 0)

    func send(_ block: LineBlock) {
        blocks.withLock { $0.append(block) }
        available.signal()
    }

    func receive() -> LineBlock {
        available.wait()
        return blocks.withLock { $0.removeFirst() }
    }
}
