#if canImport(Glibc)
import Glibc
#endif
import Allocators
import HeapModel

/// Replays ftrace text of the kmem tracepoints and the vmalloc kprobes (and 6.2+ `vmalloc:`
/// tracepoints) through the simulated allocators. Real pointers are mapped to the simulation's;
/// memtop decides sizes, caches, orders and areas itself and, when checking, compares its decisions
/// with what the real kernel logged.
///
/// Replay policy:
/// - `kmalloc` / `kfree` drive Kmalloc with `bytes_req` and the flags.
/// - `kmem_cache_alloc` / `kmem_cache_free` drive named caches keyed by object size and slot size
///   (`bytes_req`, `bytes_alloc`); a cache takes its name from the first `name=` of a free.
/// - `kp_vmalloc` drives Vmalloc with its size and alignment; `kp_vunmap_core` with
///   `deallocate_pages=1` frees; `alloc_vmap_area` lines give the real area for the check.
/// - `mm_page_alloc` of movable pages (page cache, user memory) are applied as outside pages;
///   other page events are the kernel's own slab and page-table pages, which the simulation makes
///   for itself, so they are counted, not applied.
///
/// The replayer holds the replay's own state (pointer maps, counts, the check); the machine is the
/// caller's, passed `inout` to every call as the allocators take it.
public struct FtraceReplayer {
    var tally = ReplaySummary()
    /// Lines of each known event, by ``TraceEvent`` raw value; other names are counted by name.
    /// Inline, as the applied counts: counted per line, an array would check its uniqueness each time.
    var eventCounts = InlineArray<32, Int>(repeating: 0)
    var otherEvents: [String: Int] = [:]
    /// Operations applied, by ``Applied`` raw value.
    var appliedCounts = InlineArray<16, Int>(repeating: 0)
    var decoder: FtraceDecoder
    var siteCache = PointerMap<CallSite>(filler: .unknown)
    /// `perf script -g` call chains: the event awaiting its chain and the frame and stack caches.
    var chains = CallChainReader()
    /// The call site a chain gave the event being applied, instead of its `call_site=`.
    var chainSite: CallSite?
    /// The check, when asked for.
    public internal(set) var check: CheckReport?
    /// The input's name for messages.
    let file: String

    var objects = PointerMap<VirtualAddress>(filler: VirtualAddress(rawValue: 0))
    var namedCaches = PointerMap<CacheID>(filler: CacheID(rawValue: 0))
    var unnamed: Set<CacheID> = []
    /// The cache each call site's `kmem_cache_alloc` objects were freed from by name (`-1`: more than one).
    var siteCaches = SiteCaches()
    var vmallocs = PointerMap<VirtualAddress>(filler: VirtualAddress(rawValue: 0))
    /// Whether the trace has the vmalloc kprobes (`kp_vmalloc`): then they drive Vmalloc and the
    /// 6.2+ `vmalloc:` tracepoints only feed the check.
    var sawVmallocProbes = false
    /// Whether the trace has the `__vunmap` probe (6.1 captures): then it frees vmalloc areas.
    var sawVunmapCore = false
    var outside = PointerMap<(PageFrameNumber, Int)>(filler: (PageFrameNumber(rawValue: 0), 0))
    /// The last line's timestamp in nanoseconds, -1 before the first.
    var lastTimestamp: Int64 = -1

    /// The kernel whose trace text (GFP names) the replayer reads.
    public let kernel: KernelVersion
    /// Whether pages, slabs and objects go where the trace says the kernel put them (else memtop's
    /// allocators decide everything, for what-if runs).
    public let placesAsTraced: Bool
    var placementPrepared = false
    var directMap = DirectMapBase()
    /// The last kernel (non-movable) block each CPU allocated, for learning the direct map.
    var recentKernelPage: [Int: (pfn: Int, order: Int)] = [:]
    /// Order-0 page frees still to come for vmalloc pages memtop freed at its own frames.
    var absorbedPageFrees = 0
    /// Where the last reconstructed block was found.
    var reconstructedHint = 0
    /// Migration targets memtop took for compaction (which the trace cannot show), per zone, and
    /// where each zone's free scanner is.
    var compaction = CompactionTargets()
    /// Whether the machine holds state rebuilt from a capture's /proc files.
    public var hasReconstructedState = false
    var cachesByName: [String: CacheID] = [:]
    /// Cache names read from free lines, by the hash of their bytes.
    var cacheNames: [UInt64: String] = [:]
    /// The cache a free's `name=` names, by the hash of the name's bytes, once ``cachesByName`` has it.
    var freedCaches = PointerMap<CacheID>(filler: CacheID(rawValue: 0))
    /// The cache a free's `name=` names when that cache is not in ``cachesByName`` (it came from
    /// the capture under that name): such frees have nothing to teach. Cleared whenever
    /// ``cachesByName`` gains a name, which changes that.
    var unlearnedCaches = PointerMap<CacheID>(filler: CacheID(rawValue: 0))
    /// vmalloc calls under way, per task, innermost last (a vmalloc's page array may be vmalloc'd too).
    var vmallocStack: [Int: [PendingVmalloc]] = [:]
    /// Per task, the size of a kvmalloc whose kmalloc attempt just failed: the task's next vmalloc
    /// of that size is kvmalloc's fallback, which may be huge-mapped.
    var kvmallocFallbacks: [Int: Int] = [:]
    /// First frames of the slabs of not-yet-named caches that the trace showed in use with no page
    /// allocation for them: slabs from before tracing.
    var slabsBeforeTracing: Set<Int> = []

    /// A `kp_vmalloc` waiting for its area request and its return.
    struct PendingVmalloc {
        let line: Int
        let ours: VirtualAddress?
        let size: Int
        let align: Int
        var areaSeen = false
        /// How many of the area's pages are the kernel's traced blocks (a huge mapping's).
        var adoptedPages = 0
        /// The area's order-0 pages when its flags charge them to a memory cgroup
        /// (`__GFP_ACCOUNT`), else 0: what its traced pages tell of memcg kmem accounting.
        var accountedPages = 0
    }

    /// A replayer of `file` written by `kernel`, checking when `check` is true; `placement` says
    /// whether pages go where the trace says (the default) or where memtop's allocators decide.
    public init(file: String, kernel: KernelVersion, check: Bool, placement: Bool = false) {
        precondition(TraceEvent.allCases.count <= eventCounts.count && Applied.allCases.count <= appliedCounts.count,
                     "more kinds than the counts hold")
        self.file = file
        self.kernel = kernel
        self.check = check ? CheckReport() : nil
        self.placesAsTraced = placement
        decoder = FtraceDecoder(file: file, kernel: kernel, readsKernelPages: placement)
    }

    /// The summary so far.
    public var summary: ReplaySummary {
        var s = tally
        s.placement.compactionTargets = compaction.taken
        s.placement.compactionTargetsMissed = compaction.missed
        for event in TraceEvent.allCases where eventCounts[Int(event.rawValue)] > 0 {
            s.events[event.name] = eventCounts[Int(event.rawValue)]
        }
        for (name, n) in otherEvents {
            s.events[name] = n
            s.unknownEvents[name] = n
        }
        for kind in Applied.allCases where appliedCounts[kind.rawValue] > 0 { s.applied[kind.name] = appliedCounts[kind.rawValue] }
        return s
    }

    /// Events the ring buffer lost so far (`[LOST N EVENTS]`), saturating.
    public var lostEvents: Int { tally.lostEvents }

    /// The timestamp of the last line applied that had one, in microseconds of the trace's clock
    /// (ftrace's `SECONDS.MICROS:`); nil before the first.
    public var timestampMicroseconds: Double? { lastTimestamp < 0 ? nil : Double(lastTimestamp) / 1000 }

    /// Takes a vmalloc area of the machine's start state as the trace's area at `real`, so that the
    /// trace's free of it frees memtop's.
    public mutating func adoptVmallocArea(real: UInt64, ours: VirtualAddress) {
        vmallocs.updateValue(ours, forKey: real)
    }

    /// Objects and areas still live in the simulation at the end.
    public var liveAtEnd: Int { objects.count + vmallocs.count }

    /// Applies one line given as text.
    /// - Throws: as ``apply(bytes:line:strict:to:)``.
    public mutating func apply(_ text: Substring, line: Int, strict: Bool, to machine: inout Machine) throws(TraceInputError) {
        var copy = String(text)
        var failure: TraceInputError?
        copy.withUTF8 { bytes in
            do throws(TraceInputError) { try apply(bytes: bytes, line: line, strict: strict, to: &machine) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Applies one line.
    /// - Throws: ``TraceInputError`` for a line that is not ftrace text at all, or (with `strict`) a
    ///   malformed line of a known event. Without `strict` malformed lines are counted and skipped.
    public mutating func apply(bytes: UnsafeBufferPointer<UInt8>, line: Int, strict: Bool, to machine: inout Machine) throws(TraceInputError) {
        let d = decoder.decode(bytes, line: line)
        try apply(d, bytes: bytes, errors: d.error >= 0 ? decoder.takeErrors() : [], strict: strict, to: &machine)
    }

    /// Applies one decoded line; `bytes` is its text (read again only on rare paths: a new call
    /// site, a new cache's name, an unknown event's name) and `errors[d.error]` why its fields
    /// could not be read, if they could not (an index, so that a line without an error, nearly
    /// every line, passes no error value along).
    mutating func apply(_ d: DecodedLine, bytes: UnsafeBufferPointer<UInt8>, errors: [TraceInputError],
                        strict: Bool, to machine: inout Machine) throws(TraceInputError) {
        // Traces without call chains pay these three compares and nothing else.
        if d.kind == .frame || d.chainMayFollow || chains.holding {
            if try readCallChain(d, bytes: bytes, errors: errors, strict: strict, to: &machine) { return }
        }
        try applyLine(d, bytes: bytes, errors: errors, strict: strict, to: &machine)
    }

    /// Applies one decoded line now (an event awaiting its call chain is applied when the chain ends).
    mutating func applyLine(_ d: DecodedLine, bytes: UnsafeBufferPointer<UInt8>, errors: [TraceInputError],
                            strict: Bool, to machine: inout Machine) throws(TraceInputError) {
        tally.lines = d.line
        if d.timestamp >= 0 { lastTimestamp = d.timestamp }
        switch d.kind {
        case .comment, .frame: return
        case .lost:
            // Saturating: three losses near Int.max must not trap a replay.
            let (sum, overflow) = tally.lostEvents.addingReportingOverflow(d.a)
            tally.lostEvents = overflow ? Int.max : sum
            if tally.firstLostLine == nil && d.a > 0 { tally.firstLostLine = d.line }
            return
        case .invalid:
            let text = String(decoding: bytes, as: UTF8.self)
            throw TraceInputError(file: file, line: d.line, message: "expected an ftrace line (COMM-PID [CPU] FLAGS TIME: EVENT: ...), found \"\(text.prefix(60))\"")
        case .otherEvent:
            var l = ByteLine(bytes)
            _ = l.parse()
            // Distinct names are kept up to a bound; an endless stream of new ones is counted together.
            let name = otherEvents.count < 4096 || otherEvents[l.eventName] != nil ? l.eventName : "(other names)"
            otherEvents[name, default: 0] += 1
            return
        case .event:
            eventCounts[Int(d.event.rawValue)] += 1
        }
        if d.error >= 0 {
            let error = errors[Int(d.error)]
            // A kprobe's area request is only read when a vmalloc awaits it.
            if d.event == .kpAllocVmapArea && vmallocStack[d.pid]?.isEmpty ?? true { return }
            try malformed(error, strict: strict)
            return
        }
        if d.skip {
            if d.address == 0 && (d.event == .kmalloc || d.event == .kmallocNode) { noteFailedKmalloc(d, bytes: bytes) }
            return
        }
        if placesAsTraced && !placementPrepared { prepareForPlacement(&machine) }
        replay(d, bytes: bytes, on: &machine)
    }

    /// Prefetches what applying `d` will look up first (the real pointer's entry), for a replay
    /// that knows its next lines in advance.
    @inline(__always)
    func prefetch(_ d: DecodedLine) {
        guard d.kind == .event, !d.skip else { return }
        switch d.event {
        case .kmalloc, .kmallocNode, .kmemCacheAlloc, .kmemCacheAllocNode, .kfree, .kmemCacheFree: objects.prefetch(d.address)
        default: break
        }
    }

    /// Prefetches the simulated object a free will touch (its pointer-map entry must already be in
    /// the cache, from ``prefetch(_:)`` some lines earlier).
    @inline(__always)
    func prefetchObject(_ d: DecodedLine, in machine: inout Machine) {
        guard d.kind == .event, !d.skip, d.event == .kfree || d.event == .kmemCacheFree, let ours = objects[d.address] else { return }
        machine.prefetchObject(ours)
    }

    /// Counts an event the kernel did that memtop could not; with the check on, a mismatch.
    mutating func simulationFailed(_ line: Int, _ detail: @autoclosure () -> String) {
        tally.simulationFailures += 1
        check?.fail(line: line, detail: detail())
    }

    /// Counts a malformed line, or (with `strict`) stops at it.
    mutating func malformed(_ error: TraceInputError, strict: Bool) throws(TraceInputError) {
        if strict { throw error }
        tally.malformedCount += 1
        if tally.malformed.count < ReplaySummary.examples { tally.malformed.append(error) }
    }

    /// The call site of `d`: its call chain's, when it had one, else its `call_site=`.
    mutating func site(_ d: DecodedLine, _ bytes: UnsafeBufferPointer<UInt8>, _ machine: inout Machine) -> CallSite {
        if let chainSite { return chainSite }
        guard d.siteEnd > d.siteStart else { return .unknown }
        if let id = siteCache[d.siteHash] { return id }
        let id = machine.callSite(String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(d.siteStart)..<Int(d.siteEnd)]), as: UTF8.self))
        siteCache.updateValue(id, forKey: d.siteHash)
        return id
    }
}
