import Captures
import HeapModel
import MemtopCommand
import MemtopTestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Random page traffic over a real bundle's rebuilt start state: frees of frames the rebuild holds
/// as reserved, as unknown used memory or as free, kcompactd's migrations, all keep the machine
/// consistent.
@Suite("Random page traffic on a rebuilt machine")
struct BundleTrafficTests {
    @Test("A bundle's start state, then seeded page allocations and frees at random frames: the invariants hold")
    func randomTraffic() throws {
        let real = try #require(BundleReplayTests.bundle("6.1-build"), "shared/traces/bundles/6.1-build must sit beside the repository")
        let dir = "/tmp/memtop-bundle-traffic-\(getpid())"
        mkdir(dir, 0o755)
        defer {
            for name in ["start", "end", "uname.txt", "nproc.txt", "trace.txt"] { unlink(dir + "/" + name) }
            rmdir(dir)
        }
        for name in ["start", "end", "uname.txt", "nproc.txt"] { symlink(real + "/" + name, dir + "/" + name) }
        var random = SplitMix64(seed: 7)
        var text = "# tracer: nop\n#\n"
        var live: [(pfn: Int, order: Int)] = []
        for step in 0..<4000 {
            let micros = String(step % 1000)
            let time = "\(10 + step / 1000)." + String(repeating: "0", count: 6 - micros.count) + micros
            let task = Int.random(in: 0..<5, using: &random) == 0 ? "      kcompactd0-35     " : "            bash-100    "
            let cpu = "[00\(step % 2)]"
            let roll = Int.random(in: 0..<10, using: &random)
            if roll < 4 {
                let order = [0, 0, 1, 2, 3][Int.random(in: 0..<5, using: &random)]
                let pfn = Int.random(in: 0x1000..<0x3f000, using: &random) & ~((1 << order) - 1)
                text += "\(task) \(cpu) .....     \(time): mm_page_alloc: page=fff3716c40788000 pfn=0x\(String(pfn, radix: 16)) order=\(order) migratetype=\(Int.random(in: 0..<3, using: &random)) gfp_flags=GFP_KERNEL\n"
                live.append((pfn, order))
            } else if roll < 6, !live.isEmpty {
                let block = live.remove(at: Int.random(in: 0..<live.count, using: &random))
                text += "\(task) \(cpu) .....     \(time): mm_page_free: page=fff3716c40788000 pfn=0x\(String(block.pfn, radix: 16)) order=\(block.order)\n"
            } else {
                // Frames the trace never allocated: reserved, unknown used memory or free in the rebuild.
                let order = [0, 0, 0, 1, 3][Int.random(in: 0..<5, using: &random)]
                let pfn = Int.random(in: 0x100..<0x40000, using: &random) & ~((1 << order) - 1)
                text += "\(task) \(cpu) .....     \(time): mm_page_free: page=fff3716c40788000 pfn=0x\(String(pfn, radix: 16)) order=\(order)\n"
            }
        }
        let file = try #require(fopen(dir + "/trace.txt", "w"))
        fputs(text, file)
        fclose(file)
        let (machine, summary, comparison) = try Memtop.Replay.endState(of: dir)
        #expect(comparison != nil)
        #expect(summary.placement.reconstructedFreed > 0, "frees of frames the rebuild held elsewhere took its stand-ins")
        #expect(summary.placement.compactionTargets > 0)
        try machine.validateInvariants()
    }
}
