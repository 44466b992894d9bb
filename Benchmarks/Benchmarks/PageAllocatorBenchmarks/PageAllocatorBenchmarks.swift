import Benchmark
import HeapModel

/// Steady-state page alloc+free pairs on a 1 GiB machine: each inner iteration frees a random live
/// order-0 block and allocates another, so the live count stays fixed. One pair is two page
/// operations; the throughput metric counts pairs (multiply by 2 for page operations/s).
let benchmarks: @Sendable () -> Void = {
    for live in [1_000, 100_000] {
        for recording in [false, true] {
            let name = "page alloc+free pairs, \(live / 1000)k live, events \(recording ? "on" : "off")"
            Benchmark(name, configuration: .init(metrics: [.wallClock, .throughput], scalingFactor: .mega,
                                                maxDuration: .seconds(5), maxIterations: 20)) { benchmark in
                var machine = try Machine(MachineConfiguration(ramBytes: 1 << 30))
                var rng = SplitMix64(seed: 42)
                var pages: [PageFrameNumber] = []
                pages.reserveCapacity(live)
                for _ in 0..<live { pages.append(try machine.allocPages(order: 0, gfp: .kernel)) }
                machine.setRecording(recording)
                benchmark.startMeasurement()
                for _ in benchmark.scaledIterations {
                    let i = Int(rng.next() % UInt64(live))
                    try machine.freePages(pages[i], order: 0)
                    pages[i] = try machine.allocPages(order: 0, gfp: .kernel)
                    if recording && machine.events.pending.count >= 65_536 { blackHole(machine.takeEvents()) }
                }
                benchmark.stopMeasurement()
                blackHole(machine.takeEvents())
            }
        }
    }
}
