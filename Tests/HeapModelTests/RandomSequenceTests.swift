import HeapModel
import MemtopTestSupport
import Testing

@Suite("Seeded random page alloc/free sequences")
struct RandomSequenceTests {
    static let flagChoices: [GFPFlags] = [
        .kernel, .highUserMovable, [.kernel, .reclaimable], [.kernel, .dma], [.kernel, .dma32],
        [.kernel, .noWarn], GFPFlags.atomic(.v6_18),
    ]

    @Test("Invariants hold after every step", arguments: [(UInt64(1), KernelVersion.v6_18), (2, .v6_1), (3, .v6_18), (4, .v6_1)])
    func invariantsEveryStep(seed: UInt64, kernel: KernelVersion) throws {
        var rng = SeededGenerator(seed: seed)
        var m = TestMachines.make(ram: 128 << 20, kernel: kernel)
        var live: [(PageFrameNumber, Int)] = []
        for step in 0..<1500 {
            if live.isEmpty || rng.next() % 100 < 60 {
                let order = Int(rng.next() % 100 < 80 ? rng.next() % 3 : rng.next() % 11)
                let flags = Self.flagChoices[Int(rng.next() % UInt64(Self.flagChoices.count))]
                if let pfn = try? m.allocPages(order: Order(order), gfp: flags) { live.append((pfn, order)) }
            } else {
                let i = Int(rng.next() % UInt64(live.count))
                let (pfn, order) = live.remove(at: i)
                try m.freePages(pfn, order: Order(order))
            }
            do { try m.validateInvariants() } catch {
                Issue.record("seed \(seed) kernel \(kernel) step \(step): \(error)")
                return
            }
        }
        // Free everything: all managed memory is free again and the counts add up.
        for (pfn, order) in live { try m.freePages(pfn, order: Order(order)) }
        try m.validateInvariants()
        #expect(m.totalFreePages == m.totalManagedPages, "seed \(seed)")
    }

    @Test("Recording events does not change what the machine does")
    func eventsDoNotChangeState() throws {
        func run(recording: Bool) throws -> (Machine, [HeapEvent]) {
            var rng = SeededGenerator(seed: 42)
            var m = TestMachines.make(ram: 128 << 20)
            m.setRecording(recording)
            var live: [(PageFrameNumber, Int)] = []
            for _ in 0..<500 {
                if live.isEmpty || rng.next() % 2 == 0 {
                    let order = Int(rng.next() % 4)
                    if let pfn = try? m.allocPages(order: Order(order), gfp: .kernel) { live.append((pfn, order)) }
                } else {
                    let (pfn, order) = live.removeLast()
                    try m.freePages(pfn, order: Order(order))
                }
            }
            return (m, m.takeEvents())
        }
        let (quiet, none) = try run(recording: false)
        let (loud, events) = try run(recording: true)
        #expect(quiet == loud)
        #expect(none.isEmpty)
        #expect(!events.isEmpty)
        #expect(events.map(\.sequence) == Array(0..<UInt64(events.count)), "sequence numbers are dense")
    }
}
