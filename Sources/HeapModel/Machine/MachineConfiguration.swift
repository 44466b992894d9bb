/// What machine to simulate: RAM size, CPU count and kernel profile.
public struct MachineConfiguration: Hashable, Sendable {
    /// Installed RAM in bytes (the size a VM is started with, e.g. `-m 1G`).
    public var ramBytes: UInt64
    /// Present CPUs (`num_present_cpus()`); slab geometry and vmalloc's lazy limit depend on it.
    public var cpus: Int
    /// Which kernel's behaviour to follow.
    public var kernel: KernelVersion
    /// Transparent huge pages enabled (`always` or `madvise`, as distributions ship): khugepaged then
    /// raises `min_free_kbytes` as in `set_recommended_min_free_kbytes()`.
    public var transparentHugePages: Bool

    /// The smallest RAM memtop accepts: below this the boot reservations leave almost nothing.
    public static let minimumRAM: UInt64 = 128 << 20
    /// The largest RAM memtop accepts: per-page bookkeeping must fit comfortably in this machine.
    public static let maximumRAM: UInt64 = 64 << 30
    /// The most CPUs memtop accepts (x86_64's `NR_CPUS` in distribution kernels is 8192; 1024 is plenty).
    public static let maximumCPUs = 1024

    /// A configuration; defaults to the qemu machine of the real capture's size with the 6.18 profile.
    public init(ramBytes: UInt64 = 1 << 30, cpus: Int = 2, kernel: KernelVersion = .defaultVersion,
                transparentHugePages: Bool = true) {
        self.ramBytes = ramBytes
        self.cpus = cpus
        self.kernel = kernel
        self.transparentHugePages = transparentHugePages
    }

    /// Why a configuration cannot be simulated.
    public enum Problem: Error, Equatable, Sendable, CustomStringConvertible {
        /// RAM outside the supported range.
        case ramOutOfRange(UInt64)
        /// CPU count outside 1...maximumCPUs.
        case cpusOutOfRange(Int)

        /// A one-line explanation.
        public var description: String {
            switch self {
            case .ramOutOfRange(let bytes):
                return "RAM \(ByteSize.format(bytes)) is outside the supported range "
                    + "\(ByteSize.format(MachineConfiguration.minimumRAM))...\(ByteSize.format(MachineConfiguration.maximumRAM))"
            case .cpusOutOfRange(let n):
                return "CPU count \(n) is outside the supported range 1...\(MachineConfiguration.maximumCPUs)"
            }
        }
    }

    /// Checks the ranges.
    /// - Throws: ``Problem`` for the first value out of range.
    public func validate() throws(Problem) {
        guard (Self.minimumRAM...Self.maximumRAM).contains(ramBytes) else { throw .ramOutOfRange(ramBytes) }
        guard (1...Self.maximumCPUs).contains(cpus) else { throw .cpusOutOfRange(cpus) }
    }
}
