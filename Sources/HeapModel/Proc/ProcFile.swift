/// The /proc and debugfs files memtop reproduces, by the name `--dump` takes.
public enum ProcFile: String, CaseIterable, Sendable {
    /// `/proc/buddyinfo`.
    case buddyinfo
    /// `/proc/pagetypeinfo`.
    case pagetypeinfo
    /// `/sys/kernel/debug/extfrag/extfrag_index`.
    case extfragIndex = "extfrag_index"
    /// `/sys/kernel/debug/extfrag/unusable_index`.
    case unusableIndex = "unusable_index"
    /// memtop's own per-zone summary: free memory and the largest free block.
    case zones
    /// `/proc/slabinfo`.
    case slabinfo
    /// `/proc/vmallocinfo`.
    case vmallocinfo

    /// The path the kernel shows the file at.
    public var path: String {
        switch self {
        case .buddyinfo: return "/proc/buddyinfo"
        case .pagetypeinfo: return "/proc/pagetypeinfo"
        case .extfragIndex: return "/sys/kernel/debug/extfrag/extfrag_index"
        case .unusableIndex: return "/sys/kernel/debug/extfrag/unusable_index"
        case .zones: return "memtop zones"
        case .slabinfo: return "/proc/slabinfo"
        case .vmallocinfo: return "/proc/vmallocinfo"
        }
    }

    /// The file's text for `machine`.
    public func render(_ machine: Machine) -> String {
        switch self {
        case .buddyinfo: return machine.buddyinfo()
        case .pagetypeinfo: return machine.pagetypeinfo()
        case .extfragIndex: return machine.extfragIndexFile()
        case .unusableIndex: return machine.unusableIndexFile()
        case .zones: return machine.zoneSummary()
        case .slabinfo: return machine.slabinfo()
        case .vmallocinfo: return machine.vmallocinfo()
        }
    }
}
