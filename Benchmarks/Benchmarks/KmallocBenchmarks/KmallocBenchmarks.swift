import Allocators
import Benchmark
import HeapModel

#if canImport(Glibc)
import Glibc
#endif

/// Steady-state kmalloc+kfree of mixed sizes, side by side with glibc malloc+free of the same sizes
/// in the same pattern: each inner iteration frees a random live object and allocates a new one
/// of a random size. One pair is two operations; throughput counts pairs.
let sizes = [8, 16, 24, 32, 48, 64, 64, 72, 96, 128, 128, 192, 256, 256, 512, 1024]

let benchmarks: @Sendable () -> Void = {
    for live in [1_000, 10_000, 100_000, 1_000_000] {
        let label = live >= 1_000_000 ? "\(live / 1_000_000)M" : "\(live / 1000)k"
        let config = Benchmark.Configuration(metrics: [.wallClock, .throughput], scalingFactor: .mega,
                                             maxDuration: .seconds(5), maxIterations: 20)
        Benchmark("kmalloc+kfree pairs, \(label) live", configuration: config) { benchmark in
            var machine = try Kernel.boot(MachineConfiguration(ramBytes: 1 << 30))
            var rng = SplitMix64(seed: 7)
            var objects: [VirtualAddress] = []
            objects.reserveCapacity(live)
            for _ in 0..<live {
                guard let p = Kmalloc.kmalloc(sizes[Int(rng.next() & 15)], flags: .kernel, in: &machine) else { fatalError("setup") }
                objects.append(p)
            }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                let r = rng.next()
                let i = Int((r >> 8) % UInt64(live))
                Kmalloc.kfree(objects[i], in: &machine)
                objects[i] = Kmalloc.kmalloc(sizes[Int(r & 15)], flags: .kernel, in: &machine) ?? .null
            }
            benchmark.stopMeasurement()
        }
        Benchmark("glibc malloc+free pairs, \(label) live", configuration: config) { benchmark in
            var rng = SplitMix64(seed: 7)
            var objects: [UnsafeMutableRawPointer?] = []
            objects.reserveCapacity(live)
            for _ in 0..<live { objects.append(malloc(sizes[Int(rng.next() & 15)])) }
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations {
                let r = rng.next()
                let i = Int((r >> 8) % UInt64(live))
                free(objects[i])
                objects[i] = malloc(sizes[Int(r & 15)])
            }
            benchmark.stopMeasurement()
            for p in objects { free(p) }
        }
    }
}
