import Captures
import Foundation
import HeapModel
@testable import MemtopCommand
import MemtopTestSupport
import Reconstruction
import Testing

/// Which profile a capture's uname gets.
@Suite("Kernel profile from uname")
struct KernelProfileTests {
    @Test("A kernel memtop has a profile of gets it; a newer unknown one the nearest older; 4.x and 5.x get 6.1, said so")
    func nearest() {
        func profile(_ release: String, _ major: Int, _ minor: Int) -> (KernelVersion, String) {
            CapturedMachine.profile(KernelRelease(release: release, major: major, minor: minor), override: nil)
        }
        #expect(profile("6.12.117-amd64", 6, 12).0 == .v6_12)
        #expect(profile("6.6.30", 6, 6) == (.v6_1, "uname: 6.6.30 (no 6.6 profile; nearest older: 6.1)"))
        #expect(profile("5.10.0-30-amd64", 5, 10) == (.v6_1, "uname: 5.10.0-30-amd64 (no 5.10 profile, none older; nearest: 6.1)"))
        #expect(profile("4.19.0-27-amd64", 4, 19).0 == .v6_1)
        #expect(CapturedMachine.profile(nil, override: .v6_18).0 == .v6_18)
    }
}

/// Which profile a bare trace gets without `--kernel`: what its own text reveals.
@Suite("Kernel profile from the trace")
struct KernelGuessTests {
    static let header = "# tracer: nop\n#\n"
    static func line(_ event: String, _ fields: String) -> String { "  sh-1 [000] ..... 1.000000: \(event): \(fields)\n" }
    static let cacheAlloc = line("kmem_cache_alloc", "call_site=alloc_inode+0x1f/0x90 ptr=ffff888003800000 bytes_req=64 bytes_alloc=64 "
                                 + "gfp_flags=GFP_KERNEL node=-1 accounted=false")

    static func guess(_ text: String) throws -> KernelGuess? {
        let path = "/tmp/memtop-guess-\(getpid())-\(text.hashValue).txt"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        return KernelGuess.guess(path: path)
    }

    @Test("Each clue in the kernel's own text picks the profile, and the guess names it", arguments: [
        (line("kmem_cache_alloc", "call_site=alloc_inode+0x1f/0x90 ptr=ffff888003800000 name=inode_cache bytes_req=64 bytes_alloc=64 "
              + "gfp_flags=GFP_KERNEL node=-1 accounted=false"), KernelVersion.v6_18, "name="),
        (line("kmalloc", "call_site=__kvmalloc_node_noprof+0x2d/0x100 ptr=ffff888003800000 bytes_req=64 bytes_alloc=64 "
              + "gfp_flags=GFP_KERNEL node=-1 accounted=false"), .v6_12, "_noprof"),
        (line("kmalloc", "call_site=kvmalloc_node+0x2d/0x100 ptr=ffff888003800000 bytes_req=64 bytes_alloc=64 "
              + "gfp_flags=GFP_KERNEL node=-1 accounted=false"), .v6_1, "without _noprof"),
        (line("kmalloc", "call_site=sk_alloc+0x2d/0x100 ptr=ffff888003800000 bytes_req=64 bytes_alloc=64 "
              + "gfp_flags=__GFP_HIGH|__GFP_ATOMIC|__GFP_ZERO node=-1 accounted=false"), .v6_1, "__GFP_ATOMIC"),
        (line("kmalloc", "call_site=sk_alloc+0x2d/0x100 ptr=ffff888003800000 bytes_req=64 bytes_alloc=64 gfp_flags=GFP_KERNEL"),
         .v6_1, "accounted="),
        (line("alloc_vmap_area", "va_start: 18446683600570023936 size=8192 align=4096 vstart=0xffffc90000000000 "
              + "vend=0xffffe8ffffffffff failed=0"), .v6_12, "vmalloc tracepoints"),
    ] as [(String, KernelVersion, String)])
    func clue(line: String, kernel: KernelVersion, reason: String) throws {
        let guess = try #require(try Self.guess(Self.header + Self.cacheAlloc + line + Self.cacheAlloc))
        #expect(guess.kernel == kernel)
        #expect(guess.reason.contains(reason), "\(guess.reason)")
    }

    @Test("A trace with no clue gets none (the default profile, said so)")
    func noClue() throws {
        #expect(try Self.guess(Self.header + Self.cacheAlloc) == nil)
        let path = "/tmp/memtop-guess-none-\(getpid()).txt"
        try (Self.header + Self.cacheAlloc).write(toFile: path, atomically: true, encoding: .utf8)
        defer { unlink(path) }
        let (configuration, source) = ReplaySetup.configuration(forTrace: path, options: try MachineOptions.parse([]))
        #expect(configuration.kernel == .defaultVersion && source.hasPrefix("default, the trace does not say"))
        let (forced, said) = ReplaySetup.configuration(forTrace: path, options: try MachineOptions.parse(["--kernel", "6.1"]))
        #expect(forced.kernel == .v6_1 && said == "--kernel")
    }

    @Test("The real captures: 6.1 text, 6.12 text and a trace.dat (by its uname) each get their kernel's profile")
    func realCaptures() throws {
        let v61 = try #require(RealCapture.path("trace.txt.xz"))
        #expect(KernelGuess.guess(path: v61)?.kernel == .v6_1)
        let v612 = try #require(SharedBundle.path("6.12-build", "trace.txt.xz"))
        #expect(KernelGuess.guess(path: v612)?.kernel == .v6_12)
        var dir = #filePath
        for _ in 0..<4 { dir = String(dir[..<(dir.lastIndex(of: "/") ?? dir.startIndex)]) }
        let dat = dir + "/shared/traces/formats/6.1-mix/trace-v7.dat.xz"
        try #require(access(dat, R_OK) == 0)
        let guess = try #require(KernelGuess.guess(path: dat))
        #expect(guess.kernel == .v6_1 && guess.reason == "trace.dat uname: 6.1.0-56-amd64", "\(guess.reason)")
    }

    @Test("The viewer opens a bare trace on the profile its text reveals, as headless replay does")
    func viewer() throws {
        let v61 = try #require(RealCapture.path("trace.txt.xz"))
        let command = try Memtop.parseAsRoot(["replay", v61])
        guard case .viewer(let request)? = try Memtop.viewer(for: command) else { Issue.record("no viewer"); return }
        #expect(request.configuration.kernel == .v6_1)
        let forced = try Memtop.parseAsRoot(["replay", v61, "--kernel", "6.18"])
        guard case .viewer(let r2)? = try Memtop.viewer(for: forced) else { Issue.record("no viewer"); return }
        #expect(r2.configuration.kernel == .v6_18 && r2.kernelFromCommandLine == .v6_18)
    }
}
