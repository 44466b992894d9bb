#if canImport(Glibc)
import Glibc
#endif
import Captures
import HeapModel
import Reconstruction
import Traces

/// The kernel profile a bare trace reveals, when `--kernel` is not given: a trace.dat's uname, or
/// what its first lines show of the kernel that printed them. Each clue is a change in the kernel's
/// own text, so the guess names the clues it used:
/// - `kmem_cache_alloc … name=`: the cache's name joined the event after 6.12 (6.12's
///   `include/trace/events/kmem.h` has none, 6.18's has it) → 6.18;
/// - a call site ending in `_noprof` (memory allocation profiling renamed the allocators in 6.10)
///   → 6.12;
/// - an allocator's own name without `_noprof` as a call site (`kvmalloc_node+`, before 6.10), the
///   `__GFP_ATOMIC` flag (removed in 6.3) or a `kmalloc` without `accounted=` (5.x) → 6.1;
/// - else the `vmalloc:` tracepoints (added in 6.2) → 6.12.
struct KernelGuess: Equatable {
    /// The profile.
    let kernel: KernelVersion
    /// What it was told by, for the summary's `kernel profile:` line.
    let reason: String

    /// The most lines read before deciding (about 50 ms): the clues are in the commonest events.
    static let lineLimit = 50_000

    /// The guess for the trace at `path`, or nil when it reveals nothing (or is standard input,
    /// which cannot be read twice).
    static func guess(path: String) -> KernelGuess? {
        guard path != "-", let source = try? LineSource(path: path) else { return nil }
        var clues = Clues()
        var n = 0
        while n < lineLimit, let line = try? source.nextLine() {
            n += 1
            if let release = clues.note(line) { return fromRelease(release) }
            if clues.decisive { break }
        }
        return clues.verdict
    }

    /// The profile for a trace.dat's uname release.
    static func fromRelease(_ text: Substring) -> KernelGuess? {
        guard let release = try? ProcParser.uname(String(text)) else { return nil }
        let (kernel, why) = CapturedMachine.profile(release, override: nil)
        return KernelGuess(kernel: kernel, reason: "trace.dat " + why)
    }

    /// What the lines read so far showed.
    struct Clues {
        var cacheName = false, noprof = false, vmallocTracepoints = false, gfpAtomic = false, unaccounted = false
        var oldNames = false
        /// `kmem_cache_alloc` lines seen: each would show `name=` on a kernel that prints it.
        var cacheAllocs = 0

        /// Allocator functions that call the allocators below them, under their names before 6.10
        /// added `_noprof` (as call sites they show who asked: kvmalloc's kmalloc attempt, …).
        static let oldAllocatorSites = ["call_site=kvmalloc_node+", "call_site=mempool_alloc+", "call_site=__vmalloc_node_range+",
                                        "call_site=krealloc+", "call_site=__kmalloc_node+", "call_site=kmalloc_node_trace+"]

        /// Whether reading on cannot change the verdict: `name=` seen, or another clue once a
        /// hundred `kmem_cache_alloc` lines have shown no `name=`.
        var decisive: Bool { cacheName || (cacheAllocs >= 100 && (noprof || oldNames || gfpAtomic || unaccounted)) }

        /// Notes what `line` shows; returns the release when it is a trace.dat's header naming one.
        mutating func note(_ line: Substring) -> Substring? {
            if line.hasPrefix("#") {
                guard line.hasPrefix("# trace.dat"), let r = line.firstRange(of: ", Linux ") else { return nil }
                return line[r.upperBound...].prefix { $0 != "," && $0 != " " }
            }
            if Self.has(line, " kmem_cache_alloc: ") {
                cacheAllocs += 1
                if Self.has(line, " name=") { cacheName = true }
            } else if Self.has(line, " kmalloc: ") {
                if !Self.has(line, " accounted=") { unaccounted = true }
            } else if Self.has(line, " alloc_vmap_area: ") || Self.has(line, " free_vmap_area_noflush: ") {
                vmallocTracepoints = true
            }
            if !noprof && Self.has(line, "_noprof+") { noprof = true }
            if !gfpAtomic && Self.has(line, "__GFP_ATOMIC") { gfpAtomic = true }
            if !oldNames && Self.has(line, "call_site=") { oldNames = Self.oldAllocatorSites.contains { Self.has(line, $0) } }
            return nil
        }

        /// Whether `line` holds `needle`, compared as bytes (memchr for its first byte, then
        /// memcmp): a Character search per line would cost more than the replay.
        static func has(_ line: Substring, _ needle: String) -> Bool {
            var needle = needle
            let found: Bool? = needle.withUTF8 { n in
                line.utf8.withContiguousStorageIfAvailable { hay -> Bool in
                    guard let base = hay.baseAddress, let nb = n.baseAddress, let first = n.first, n.count <= hay.count else { return false }
                    var at = 0
                    let last = hay.count - n.count
                    while at <= last, let hit = memchr(base + at, Int32(first), last - at + 1) {
                        let i = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
                        if memcmp(base + i, nb, n.count) == 0 { return true }
                        at = i + 1
                    }
                    return false
                }
            }
            return found ?? line.contains(needle)
        }

        /// The profile the clues point to, newest clue first; nil with none.
        var verdict: KernelGuess? {
            if cacheName { return KernelGuess(kernel: .v6_18, reason: "kmem_cache_alloc has name= (after 6.12)") }
            if noprof { return KernelGuess(kernel: .v6_12, reason: "_noprof call sites (6.10+), no name= in kmem_cache_alloc") }
            var older: [String] = []
            if oldNames { older.append("allocator call sites without _noprof (before 6.10)") }
            if gfpAtomic { older.append("__GFP_ATOMIC (before 6.3)") }
            if unaccounted { older.append("kmalloc without accounted= (before 6.0)") }
            if !older.isEmpty { return KernelGuess(kernel: .v6_1, reason: older.joined(separator: ", ")) }
            if vmallocTracepoints { return KernelGuess(kernel: .v6_12, reason: "vmalloc tracepoints (6.2+)") }
            return nil
        }
    }
}
