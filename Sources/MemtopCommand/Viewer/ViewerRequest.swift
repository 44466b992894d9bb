import BuiltInWorkloads
import HeapModel

/// What the viewer plays: a built-in workload or a trace, on a booted machine.
public struct ViewerRequest: Sendable {
    /// Where the operations come from.
    public enum Source: Sendable {
        /// A built-in workload.
        case workload(Workload)
        /// A trace file (ftrace text or memtop's format).
        case trace(String)
    }
    /// The source.
    public let source: Source
    /// The machine to simulate.
    public let configuration: MachineConfiguration
    /// The workload's seed.
    public let seed: UInt64
    /// The projector theme.
    public let projector: Bool
    /// The kernel profile when `--kernel` was given (a capture bundle's uname decides otherwise).
    public var kernelFromCommandLine: KernelVersion?
    /// A trace's pages go where it says (else memtop's allocators decide, `--simulate`).
    public var placement = true
    /// The bytes time travel's snapshots may hold beyond the live machine.
    public var snapshotBudget = Timeline.memoryBudget

    /// A request.
    public init(source: Source, configuration: MachineConfiguration, seed: UInt64, projector: Bool = false) {
        self.source = source
        self.configuration = configuration
        self.seed = seed
        self.projector = projector
    }

    /// The name the status bar shows.
    public var name: String {
        switch source {
        case .workload(let w): return w.name
        case .trace(let path): return String(path.split(separator: "/").last ?? Substring(path))
        }
    }
}
