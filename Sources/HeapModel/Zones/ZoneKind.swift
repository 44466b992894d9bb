/// The x86_64 memory zones memtop models, lowest first.
public enum ZoneKind: Int, CaseIterable, Comparable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// ZONE_DMA: the first 16 MiB, for ISA-era devices.
    case dma = 0
    /// ZONE_DMA32: 16 MiB to 4 GiB, for 32-bit devices.
    case dma32 = 1
    /// ZONE_NORMAL: everything above 4 GiB.
    case normal = 2

    /// The name as /proc prints it (`DMA`, `DMA32`, `Normal`).
    public var description: String {
        switch self {
        case .dma: return "DMA"
        case .dma32: return "DMA32"
        case .normal: return "Normal"
        }
    }

    /// Orders zones from low to high memory.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// `sysctl_lowmem_reserve_ratio` default for this zone: 256 for DMA and DMA32, 32 for Normal.
    public var lowmemReserveRatio: Int { self == .normal ? 32 : 256 }
}
