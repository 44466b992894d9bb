import HeapModel
import Operations

/// A workload's name, description and how to start it.
public struct Workload: Sendable {
    /// The name `memtop run` takes.
    public let name: String
    /// One line for `memtop workloads`.
    public let summary: String
    /// Starts a run with the given seed.
    public let start: @Sendable (_ seed: UInt64, _ configuration: MachineConfiguration) -> any WorkloadRun

    /// Every built-in workload, in the order `memtop workloads` lists them.
    public static let all: [Workload] = [
        Workload(name: "tour", summary: "the default: slab churn, fragmentation, kvmalloc falling back to vmalloc, a double free",
                 start: { seed, _ in TourWorkload(seed: seed) }),
        Workload(name: "idle", summary: "nothing: a freshly booted machine", start: { _, _ in IdleWorkload() }),
        Workload(name: "slab-churn", summary: "mixed kmalloc sizes freed in random order: partial slabs, internal waste",
                 start: { seed, _ in SlabChurnWorkload(seed: seed) }),
        Workload(name: "buddy-fragmentation",
                 summary: "pinned order-0 pages interleaved: plenty free, yet order >= 3 requests fail",
                 start: { seed, _ in BuddyFragmentationWorkload(seed: seed) }),
        Workload(name: "kvmalloc-fallback", summary: "large kvmalloc falls back to vmalloc when memory is fragmented",
                 start: { seed, _ in KVmallocFallbackWorkload(seed: seed) }),
        Workload(name: "kvec-growth", summary: "KVec pushes realloc through kmalloc's classes, then a KVVec moves to vmalloc",
                 start: { _, _ in KVecGrowthWorkload() }),
        Workload(name: "atomic-burst", summary: "GFP_ATOMIC dips below the min watermark that stops GFP_KERNEL",
                 start: { _, _ in AtomicBurstWorkload() }),
        Workload(name: "vmalloc-lazy-purge", summary: "freed vmalloc ranges pile up until the lazy purge",
                 start: { _, _ in VmallocLazyPurgeWorkload() }),
        Workload(name: "misuse", summary: "each contract violation once, all reported, the run goes on",
                 start: { _, _ in MisuseWorkload() }),
    ]

    /// The workload called `name`, if any.
    public static func named(_ name: String) -> Workload? { all.first { $0.name == name } }

    /// Runs a workload to completion (or `maxSteps`) through `ops` and returns how many steps it took.
    @discardableResult
    public static func runToEnd(_ run: inout any WorkloadRun, ops: inout OperationRunner, on machine: inout Machine,
                                maxSteps: Int = .max) -> Int {
        var steps = 0
        while steps < maxSteps && run.step(&ops, &machine) { steps += 1 }
        return steps
    }

    /// Runs a workload to completion (or `maxSteps`) through a runner of its own.
    @discardableResult
    public static func runToEnd(_ run: inout any WorkloadRun, on machine: inout Machine, maxSteps: Int = .max) -> Int {
        var ops = OperationRunner()
        return runToEnd(&run, ops: &ops, on: &machine, maxSteps: maxSteps)
    }
}
