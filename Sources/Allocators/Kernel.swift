import HeapModel

/// Booting the simulated kernel: a machine plus the caches the kernel creates before anything runs.
public enum Kernel {
    /// Boots a machine of `configuration` and creates the kmalloc caches in the order the kernel
    /// does (so `/proc/slabinfo` lists them in the kernel's order).
    /// - Throws: ``MachineConfiguration/Problem`` for a configuration out of range.
    public static func boot(_ configuration: MachineConfiguration) throws(MachineConfiguration.Problem) -> Machine {
        var machine = try Machine(configuration)
        KmallocSizes.createCaches(in: &machine)
        return machine
    }
}
