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
