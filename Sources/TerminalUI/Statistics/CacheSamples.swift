import HeapModel

/// Every slab cache's objects and slabs, and every zone's free blocks per order, sampled over a
/// run: the slab panel's timeline of the selected cache, `G` (where it grew most), and the
/// fragmentation panel's history of each order.
///
/// # Invariants
/// - `steps` is increasing; `objects[k]` and `slabs[k]` are the caches (by id) at `steps[k]`.
/// - At most ``capacity`` samples: when full, every other one is dropped and ``every`` doubles,
///   so memory stays bounded on any length of trace.
public struct CacheSamples: Sendable {
    /// No samples yet.
    public init() {}

    /// The most samples kept.
    public static let capacity = 512
    /// Steps between samples.
    public private(set) var every = 64
    /// The step of each sample, increasing.
    public private(set) var steps: [Int] = []
    private var objects: [[Int32]] = []
    private var slabs: [[Int32]] = []
    /// Free blocks per populated zone and order, `zone * orderCount + order`.
    private var zones: [[Int32]] = []

    /// Samples the machine's caches at `step`, unless a sample at or after it exists.
    public mutating func take(step: Int, machine: Machine) {
        guard steps.last.map({ $0 < step }) ?? true else { return }
        if steps.count >= Self.capacity {
            let keep = steps.indices.filter { $0 % 2 == 1 }
            steps = keep.map { steps[$0] }
            objects = keep.map { objects[$0] }
            slabs = keep.map { slabs[$0] }
            zones = keep.map { zones[$0] }
            every *= 2
            guard step % every == 0 else { return }
        }
        steps.append(step)
        objects.append(machine.slabCaches.map { Int32(clamping: $0.totalObjects) })
        slabs.append(machine.slabCaches.map { Int32(clamping: $0.slabCount) })
        zones.append(machine.populatedZones.flatMap { $0.nrFree.map { Int32(clamping: $0) } })
    }

    /// Forgets the samples after `step` (going back in time).
    public mutating func rewind(to step: Int) {
        guard let cut = steps.firstIndex(where: { $0 > step }) else { return }
        steps.removeSubrange(cut...)
        objects.removeSubrange(cut...)
        slabs.removeSubrange(cut...)
        zones.removeSubrange(cut...)
    }

    /// Free blocks of each order of populated zone `zone` at each sample: `[order][sample]`.
    public func freeBlocks(zone: Int) -> [[Int]] {
        (0..<Page.orderCount).map { order in
            zones.map { z in zone * Page.orderCount + order < z.count ? Int(z[zone * Page.orderCount + order]) : 0 }
        }
    }

    /// One cache's objects and slabs at each sample (0 before it existed).
    public func series(cache: Int) -> (objects: [Int], slabs: [Int]) {
        (objects.map { cache < $0.count ? Int($0[cache]) : 0 }, slabs.map { cache < $0.count ? Int($0[cache]) : 0 })
    }

    /// The sample step that ends the largest growth of the cache's objects between two samples;
    /// nil when it never grew.
    public func biggestGrowth(cache: Int) -> Int? {
        let values = series(cache: cache).objects
        var best: (gain: Int, step: Int)?
        for k in values.indices.dropFirst() where values[k] - values[k - 1] > (best?.gain ?? 0) {
            best = (values[k] - values[k - 1], steps[k])
        }
        return best?.step
    }
}
