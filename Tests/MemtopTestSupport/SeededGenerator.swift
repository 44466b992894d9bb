import HeapModel

/// The seeded generator of every random test (SplitMix64), so a failing case can print and replay its seed.
public typealias SeededGenerator = SplitMix64

/// Factories for machines used across test targets.
public enum TestMachines {
    /// A booted machine of the given size, kernel and CPUs.
    public static func make(ram: UInt64 = 1 << 30, cpus: Int = 2, kernel: KernelVersion = .v6_18) -> Machine {
        do {
            return try Machine(MachineConfiguration(ramBytes: ram, cpus: cpus, kernel: kernel))
        } catch {
            preconditionFailure("test machine configuration rejected: \(error)")
        }
    }
}
