import ArgumentParser
import HeapModel

/// The options every simulating subcommand shares: the machine and the seed.
public struct MachineOptions: ParsableArguments {
    /// Present CPUs.
    @Option(help: "Number of CPUs of the simulated machine (1-\(MachineConfiguration.maximumCPUs)).")
    public var cpus: Int = 2

    /// Installed RAM.
    @Option(help: ArgumentHelp("RAM of the simulated machine, e.g. 512M, 1G, 4G (128M-64G).", valueName: "size"))
    public var ram: RAMSize = RAMSize(bytes: 1 << 30)

    /// Kernel profile, when given on the command line (a capture's uname decides otherwise).
    @Option(name: .customLong("kernel"),
            help: ArgumentHelp("Kernel whose behaviour to follow: \(KernelVersion.allCases.map(\.rawValue).joined(separator: ", ")) "
                + "(default \(KernelVersion.defaultVersion); a capture bundle's uname decides when not given).", valueName: "version"))
    public var kernelOption: KernelVersion?

    /// The kernel profile: as given, else the default.
    public var kernel: KernelVersion { kernelOption ?? .defaultVersion }

    /// Seed for the workload's random choices.
    @Option(help: "Seed for the workload's random choices; the same seed gives the same run.")
    public var seed: UInt64 = 1

    /// Creates the options with their defaults.
    public init() {}

    /// Checks ranges that the types alone cannot.
    public func validate() throws {
        guard (1...MachineConfiguration.maximumCPUs).contains(cpus) else {
            throw ValidationError("--cpus must be between 1 and \(MachineConfiguration.maximumCPUs), got \(cpus)")
        }
        guard (MachineConfiguration.minimumRAM...MachineConfiguration.maximumRAM).contains(ram.bytes) else {
            throw ValidationError("--ram must be between 128M and 64G, got \(ByteSize.format(ram.bytes))")
        }
    }

    /// The machine these options describe.
    public var machineConfiguration: MachineConfiguration {
        MachineConfiguration(ramBytes: ram.bytes, cpus: cpus, kernel: kernel)
    }
}

extension KernelVersion: ExpressibleByArgument {
    /// Parses `6.1`, `6.12` or `6.18`.
    public init?(argument: String) { self.init(rawValue: argument) }
    /// The accepted values, for help and completion.
    public static var allValueStrings: [String] { allCases.map(\.rawValue) }
}
