/// The kernel release whose behaviour the simulation follows.
///
/// Where the releases differ (GFP bit values and their printed order, the slab order search,
/// kvmalloc's policy, slabinfo row order), the code asks this value rather than hard-coding one;
/// `KernelVersion+Rules.swift` names each difference.
public enum KernelVersion: String, CaseIterable, Hashable, Sendable, Codable, CustomStringConvertible {
    /// Linux 6.1 (Debian 6.1.0, 6.1.192), the kernel of the shared real 6.1 captures.
    case v6_1 = "6.1"
    /// Linux 6.12 (Debian 13's kernel; the shared 6.12 capture is Debian 6.12.117), an LTS whose
    /// stable updates carry some later mm changes (the claim/steal fallback split, vrealloc's
    /// requested size).
    case v6_12 = "6.12"
    /// Linux 6.18.
    case v6_18 = "6.18"

    /// The default profile for new machines.
    public static let defaultVersion: KernelVersion = .v6_18

    /// The release as people write it: `6.1`, `6.12`, `6.18`.
    public var description: String { rawValue }
}
