/// Where a zone's free-page count stands against its watermarks.
public enum WatermarkLevel: Int, Comparable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// At or below `min`.
    case belowMin = 0
    /// Above `min`, at or below `low`.
    case belowLow = 1
    /// Above `low`, at or below `high`.
    case belowHigh = 2
    /// Above `high`.
    case aboveHigh = 3

    /// Orders levels from emptiest to fullest.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

    /// A short name for event logs: `min`, `low`, `high`, `ok`.
    public var description: String {
        switch self {
        case .belowMin: return "below_min"
        case .belowLow: return "below_low"
        case .belowHigh: return "below_high"
        case .aboveHigh: return "above_high"
        }
    }
}
