/// The kernel release whose behaviour the simulation follows.
///
/// Where 6.1 and 6.18 differ (GFP bit values and their printed order, the slab order search,
/// kvmalloc's policy, slabinfo row order), the code asks this value rather than hard-coding one.
public enum KernelVersion: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Linux 6.1 (Debian 6.1.0), the kernel of the shared real capture.
    case v6_1 = "6.1"
    /// Linux 6.18.
    case v6_18 = "6.18"

    /// The default profile for new machines.
    public static let defaultVersion: KernelVersion = .v6_18

    /// The release as people write it: `6.1`, `6.18`.
    public var description: String { rawValue }
}
