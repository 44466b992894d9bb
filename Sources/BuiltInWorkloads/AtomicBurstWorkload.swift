import HeapModel
import Operations

/// `atomic-burst`: GFP_KERNEL allocations fill memory down to the min watermark, then a burst of
/// GFP_ATOMIC allocations (network receive, say) dips into the reserve below it, to 3/8 of min.
struct AtomicBurstWorkload: WorkloadRun {
    private var stage = 0
    mutating func step(_ ops: inout OperationRunner, _ machine: inout Machine) -> Bool {
        switch stage {
        case 0:
            let page = Operation.allocPages(OperationRunner.fresh, order: 0, flags: [.kernel, .noWarn], owner: .pages)
            for _ in 0..<64 where ops.run(page, &machine).pfn == nil {
                stage = 1
                return true
            }
        case 1:
            let atomic = GFPFlags.atomic(machine.configuration.kernel)
            if ops.run(.kmalloc(OperationRunner.fresh, size: 2048, flags: atomic, site: "netdev_alloc_skb+0x4c/0x120"), &machine).address == nil {
                stage = 2
            }
        default:
            return false
        }
        return true
    }
}
