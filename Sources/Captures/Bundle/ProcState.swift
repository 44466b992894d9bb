/// A kernel's allocator state at one moment: the parsed `/proc` files of a bundle's `start/` or
/// `end/` folder, or of memtop's own rendering.
///
/// buddyinfo and slabinfo are always there (the comparison is built on them); every other file
/// is optional, nil when it was not dumped or not rendered. memtop does not render zoneinfo, pcp,
/// meminfo or slab sysfs today, so a state parsed from its output has those nil.
public struct ProcState: Hashable, Sendable {
    /// `/proc/zoneinfo`, all zones (empty ones flagged); nil when absent.
    public var zoneinfo: [ZoneInfo]?
    /// `/proc/buddyinfo`, one entry per populated zone.
    public var buddyinfo: [BuddyInfoZone]
    /// `/proc/pagetypeinfo`; nil when absent.
    public var pagetypeinfo: PageTypeInfo?
    /// `/proc/slabinfo` rows.
    public var slabinfo: [SlabInfoRow]
    /// `slab_sysfs.tsv` rows; nil when absent.
    public var slabSysfs: [SlabSysfsRow]?
    /// `slab_aliases.tsv`; nil when absent.
    public var slabAliases: [SlabAlias]?
    /// `/proc/vmallocinfo` areas; nil when absent.
    public var vmallocinfo: [VmallocArea]?
    /// `pcp.tsv`; nil when absent.
    public var pcp: [PCPList]?
    /// `/proc/meminfo`; nil when absent.
    public var meminfo: MemInfo?

    /// A state from already parsed files.
    ///
    /// - Parameters:
    ///   - buddyinfo: The buddyinfo zones.
    ///   - slabinfo: The slabinfo rows.
    ///   - zoneinfo: The zoneinfo zones, if any.
    ///   - pagetypeinfo: The pagetypeinfo, if any.
    ///   - vmallocinfo: The vmallocinfo areas, if any.
    ///   - slabSysfs: The slab sysfs rows, if any.
    ///   - slabAliases: The slab aliases, if any.
    ///   - pcp: The per-CPU lists, if any.
    ///   - meminfo: The meminfo, if any.
    public init(buddyinfo: [BuddyInfoZone], slabinfo: [SlabInfoRow], zoneinfo: [ZoneInfo]? = nil,
                pagetypeinfo: PageTypeInfo? = nil, vmallocinfo: [VmallocArea]? = nil, slabSysfs: [SlabSysfsRow]? = nil,
                slabAliases: [SlabAlias]? = nil, pcp: [PCPList]? = nil, meminfo: MemInfo? = nil) {
        self.buddyinfo = buddyinfo
        self.slabinfo = slabinfo
        self.zoneinfo = zoneinfo
        self.pagetypeinfo = pagetypeinfo
        self.vmallocinfo = vmallocinfo
        self.slabSysfs = slabSysfs
        self.slabAliases = slabAliases
        self.pcp = pcp
        self.meminfo = meminfo
    }
}
