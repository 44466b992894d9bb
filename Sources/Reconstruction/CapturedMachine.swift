import Allocators
import Captures
import HeapModel

/// A machine rebuilt from a capture bundle's `start/` state: the kernel profile from its uname,
/// CPUs from nproc, zones from zoneinfo, and free blocks, per-CPU pages, slabs and vmalloc areas
/// with the counts /proc shows, at places memtop picks (marked reconstructed).
public struct CapturedMachine: Sendable {
    /// The machine, ready for a replay that places pages as the trace does.
    public var machine: Machine
    /// The profile used, and where it came from.
    public let kernel: KernelVersion
    /// How the profile was chosen: the bundle's uname, or a stand-in for a kernel memtop has no profile of.
    public let kernelSource: String
    /// vmalloc areas of the start state: the real start address and memtop's.
    public let vmallocAreas: [(real: UInt64, ours: VirtualAddress)]
    /// What could not be rebuilt exactly (counts memtop could not place), for the report.
    public let notes: [String]

    /// Rebuilds `bundle`'s start state; `kernel` overrides the bundle's uname.
    /// - Throws: ``ReconstructionError`` when the bundle lacks what is needed (zoneinfo).
    public init(_ bundle: CaptureBundle, kernel override: KernelVersion? = nil) throws(ReconstructionError) {
        let start = bundle.start
        guard let zoneinfo = start.zoneinfo else { throw ReconstructionError("\(bundle.path)/start/zoneinfo.txt: needed to size the machine") }
        let (kernel, source) = CapturedMachine.profile(bundle.release, override: override)
        self.kernel = kernel
        self.kernelSource = source
        let zones = zoneinfo.filter { !$0.isEmpty && $0.node == 0 }
        let present = zones.reduce(0) { $0 + $1.present }
        // qemu's RAM sizes come in whole 128 MiB steps; the present pages fall a little short of them.
        let ramBytes = (UInt64(present) * UInt64(Page.size) + (128 << 20) - 1) / (128 << 20) * (128 << 20)
        let configuration = MachineConfiguration(ramBytes: ramBytes, cpus: max(1, bundle.cpus ?? 2), kernel: kernel)
        var m: Machine
        do { m = try Kernel.boot(configuration) } catch { throw ReconstructionError("\(bundle.path): \(error)") }
        var notes: [String] = []
        m.takeAllFreeMemoryAsUnknown()
        for zone in zones {
            guard let kind = ZoneKind(name: zone.name) else { continue }
            let w = zone.watermarks
            m.adoptZone(kind, managed: zone.managed, watermarks: Watermarks(min: w.min, low: w.low, high: w.high, promo: w.promo ?? w.high),
                        lowmemReserve: Array((zone.protection + [0, 0, 0]).prefix(3)))
        }
        CapturedMachine.rebuildFreeBlocks(start, into: &m, notes: &notes)
        CapturedMachine.rebuildPerCPULists(start, zoneinfo: zones, into: &m)
        CapturedMachine.rebuildSlabs(start, into: &m, notes: &notes)
        vmallocAreas = CapturedMachine.rebuildVmalloc(start, into: &m, notes: &notes)
        machine = m
        self.notes = notes
    }

    /// The profile for a kernel release: the same series if memtop has it, else the nearest older
    /// one; a release older than every profile (4.x, 5.x) gets the oldest, 6.1, and the text says so.
    package static func profile(_ release: KernelRelease?, override: KernelVersion?) -> (KernelVersion, String) {
        if let override { return (override, "--kernel") }
        guard let release else { return (.defaultVersion, "default (the bundle has no uname.txt)") }
        if let exact = KernelVersion(rawValue: release.series) { return (exact, "uname: \(release.release)") }
        let known = KernelVersion.allCases.sorted { $0.sortKey < $1.sortKey }
        let wanted = release.major * 1000 + release.minor
        guard let nearest = known.last(where: { $0.sortKey <= wanted }) else {
            return (known[0], "uname: \(release.release) (no \(release.series) profile, none older; nearest: \(known[0]))")
        }
        return (nearest, "uname: \(release.release) (no \(release.series) profile; nearest older: \(nearest))")
    }
}

extension KernelVersion {
    /// major × 1000 + minor, for ordering profiles.
    var sortKey: Int {
        let parts = rawValue.split(separator: ".").compactMap { Int($0) }
        return (parts.first ?? 0) * 1000 + (parts.dropFirst().first ?? 0)
    }
}

extension ZoneKind {
    /// The kind a zone name of /proc names (`DMA`, `DMA32`, `Normal`).
    init?(name: String) {
        guard let kind = ZoneKind.allCases.first(where: { $0.description == name }) else { return nil }
        self = kind
    }
}

extension MigrateType {
    /// The type a pagetypeinfo name names (`Unmovable`, `Movable`, ...).
    init?(procName: String) {
        guard let type = MigrateType.allCases.first(where: { $0.description == procName }) else { return nil }
        self = type
    }
}
