import Allocators
import HeapModel

#if canImport(Glibc)
import Glibc
#endif

extension TestMachines {
    /// A booted kernel (machine plus kmalloc caches).
    public static func kernel(ram: UInt64 = 1 << 30, cpus: Int = 2, kernel: KernelVersion = .v6_18) -> Machine {
        do {
            return try Kernel.boot(MachineConfiguration(ramBytes: ram, cpus: cpus, kernel: kernel))
        } catch {
            preconditionFailure("test kernel configuration rejected: \(error)")
        }
    }

    /// A booted 128 MiB kernel where every other page is pinned by a movable user page: no block
    /// above order 0 anywhere, so an order-1+ slab or a kmalloc above 8 KiB fails.
    public static func fragmentedKernel(_ kernel: KernelVersion, cpus: Int = 2) throws -> Machine {
        var m = TestMachines.kernel(ram: 128 << 20, cpus: cpus, kernel: kernel)
        var pages: [PageFrameNumber] = []
        while let p = try? m.allocPages(order: 0, gfp: [.highUserMovable, .memalloc, .noWarn]) { pages.append(p) }
        for p in pages where p.rawValue & 1 == 0 { try m.freePages(p, order: 0) }
        return m
    }
}

/// The shared real captures, found relative to this source file (the repository sits beside `shared/`).
public enum RealCapture {
    /// The text of `qemu-6.1.0-56-amd64-boot.<suffix>`, or nil when `shared/` is not beside the repository.
    public static func file(_ suffix: String, from source: String = #filePath) -> String? {
        path(suffix, from: source).flatMap { Golden.readFile($0) }
    }

    /// The path of `qemu-6.1.0-56-amd64-boot.<suffix>`, or nil when it does not exist.
    public static func path(_ suffix: String, from source: String = #filePath) -> String? {
        var dir = source
        for _ in 0..<3 { dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)]) }
        let root = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)])
        let path = root + "/shared/traces/real/qemu-6.1.0-56-amd64-boot." + suffix
        return access(path, R_OK) == 0 ? path : nil
    }
}

/// The shared capture bundles (`shared/traces/bundles/NAME/...`), found like ``RealCapture``.
public enum SharedBundle {
    /// The path of `bundles/<bundle>/<file>`, or nil when it does not exist.
    public static func path(_ bundle: String, _ file: String, from source: String = #filePath) -> String? {
        var dir = source
        for _ in 0..<3 { dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)]) }
        let root = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)])
        let path = root + "/shared/traces/bundles/" + bundle + "/" + file
        return access(path, R_OK) == 0 ? path : nil
    }

    /// The text of `bundles/<bundle>/<file>`, or nil.
    public static func file(_ bundle: String, _ file: String, from source: String = #filePath) -> String? {
        path(bundle, file, from: source).flatMap { Golden.readFile($0) }
    }

    /// One zone of a `/proc/zoneinfo` dump: the counters memtop models.
    public struct ZoneCounts: Equatable, Sendable {
        public var min = 0, low = 0, high = 0, spanned = 0, present = 0, managed = 0
    }

    /// The zones of a `/proc/zoneinfo` text by name (`DMA`, `DMA32`, ...).
    public static func zoneinfo(_ text: String) -> [String: ZoneCounts] {
        var zones: [String: ZoneCounts] = [:]
        var current: String?
        for line in text.split(separator: "\n") {
            let words = line.split(separator: " ")
            if line.hasPrefix("Node "), let name = words.last {
                current = String(name)
                zones[String(name)] = ZoneCounts()
                continue
            }
            guard let zone = current, words.count == 2, let value = Int(words[1]) else { continue }
            switch words[0] {
            case "min": zones[zone]?.min = value
            case "low": zones[zone]?.low = value
            case "high": zones[zone]?.high = value
            case "spanned": zones[zone]?.spanned = value
            case "present": zones[zone]?.present = value
            case "managed": zones[zone]?.managed = value
            default: break
            }
        }
        return zones
    }
}
