import Allocators
import HeapModel
import Operations

/// `kvec-growth`: a KVec<u64> and a KVVec<u64> pushed one element at a time: capacities double,
/// each growth a realloc, through kmalloc's size classes, large kmalloc, and (for the KVVec,
/// beyond KMALLOC_MAX_SIZE) vmalloc.
struct KVecGrowthWorkload: WorkloadRun {
    private var pushed = 0

    mutating func step(_ ops: inout OperationRunner, _ machine: inout Machine) -> Bool {
        if pushed < 2_000 {
            ops.run(.vector(.push(count: 1), vec: "small", allocator: .kmalloc, flags: .kernel), &machine)
            ops.run(.vector(.push(count: 1), vec: "large", allocator: .kvmalloc, flags: .kernel), &machine)
        } else if pushed < 2_010 {
            // Reserve in big steps to cross KMALLOC_MAX_SIZE: the KVVec moves to vmalloc.
            let capacity = ops.capacity(ofVector: "large", allocator: .kvmalloc)
            ops.run(.vector(.reserve(additional: capacity + 1), vec: "large", allocator: .kvmalloc, flags: .kernel), &machine)
        } else {
            return false
        }
        pushed += 1
        return true
    }
}
