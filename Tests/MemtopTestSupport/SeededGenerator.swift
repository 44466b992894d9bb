import HeapModel

/// A small deterministic random generator (SplitMix64) so that every random test can print and
/// replay its seed.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var state: UInt64

    /// A generator that yields the same sequence for the same seed.
    public init(seed: UInt64) { state = seed }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

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
