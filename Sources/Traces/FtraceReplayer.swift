#if canImport(Glibc)
import Glibc
#endif
import Allocators
import HeapModel

/// What a replay did, for the summary.
public struct ReplaySummary: Sendable {
    /// Lines read.
    public var lines = 0
    /// Events seen, by name.
    public var events: [String: Int] = [:]
    /// Events of names memtop does not replay (skipped, counted).
    public var unknownEvents: [String: Int] = [:]
    /// Malformed lines of known events (skipped unless --strict).
    public var malformed: [TraceInputError] = []
    /// Events the ring buffer dropped (`[LOST N EVENTS]`), saturating at `Int.max`.
    public var lostEvents = 0
    /// Frees of objects allocated before tracing began.
    public var freesOfUnknown = 0
    /// Objects allocated, by the simulation, as replayed.
    public var applied: [String: Int] = [:]
    /// Allocations the simulation could not satisfy.
    public var simulationFailures = 0
    /// Violations the replay triggered (a trace that frees twice).
    public var violations = 0
}

/// One comparison that failed: where, what kind, and the two values.
public struct CheckMismatch: Hashable, Sendable {
    /// The kind compared (`kmalloc bytes_alloc`, `large kmalloc order`, `vmalloc area size`, ...).
    public let kind: String
    /// The trace line.
    public let line: Int
    /// What the real kernel did and what memtop decided.
    public let detail: String

    /// A mismatch.
    public init(kind: String, line: Int, detail: String) {
        self.kind = kind
        self.line = line
        self.detail = detail
    }
}

/// The fidelity check's tally.
public struct CheckReport: Sendable {
    /// Decisions compared.
    public var compared = 0
    /// The ones that differ.
    public var mismatches: [CheckMismatch] = []

    mutating func compare(_ kind: String, line: Int, real: Int, ours: Int, what: String = "") {
        compared += 1
        if real != ours {
            mismatches.append(CheckMismatch(kind: kind, line: line, detail: "\(what)real \(real), memtop \(ours)"))
        }
    }
}

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
public struct FtraceReplayer {
    /// The machine replayed on.
    public internal(set) var machine: Machine
    private var tally = ReplaySummary()
    /// Lines of each known event, by ``TraceEvent`` raw value; other names are counted by name.
    private var eventCounts = [Int](repeating: 0, count: TraceEvent.allCases.count)
    private var otherEvents: [String: Int] = [:]
    /// Operations applied, by ``Applied`` raw value.
    private var appliedCounts = [Int](repeating: 0, count: Applied.allCases.count)
    private var decoder: FtraceDecoder
    private var siteCache = PointerMap<CallSite>(filler: .unknown)
    /// The check, when asked for.
    public private(set) var check: CheckReport?
    /// The input's name for messages.
    let file: String

    private var objects = PointerMap<VirtualAddress>(filler: VirtualAddress(rawValue: 0))
    private var namedCaches = PointerMap<CacheID>(filler: CacheID(rawValue: 0))
    private var unnamed: Set<CacheID> = []
    private var vmallocs = PointerMap<VirtualAddress>(filler: VirtualAddress(rawValue: 0))
    private var pendingVmalloc: [Int: (line: Int, ours: VirtualAddress?, size: Int, align: Int)] = [:]
    private var awaitingReturn: [Int: VirtualAddress?] = [:]
    /// Whether the trace has the vmalloc kprobes (`kp_vmalloc`): then they drive Vmalloc and the
    /// 6.2+ `vmalloc:` tracepoints only feed the check.
    private var sawVmallocProbes = false
    private var outside = PointerMap<(PageFrameNumber, Int)>(filler: (PageFrameNumber(rawValue: 0), 0))

    /// A replayer on `machine`, checking when `check` is true.
    public init(machine: Machine, file: String, check: Bool) {
        self.machine = machine
        self.file = file
        self.check = check ? CheckReport() : nil
        decoder = FtraceDecoder(file: file, kernel: machine.configuration.kernel)
    }

    /// The summary so far.
    public var summary: ReplaySummary {
        var s = tally
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

    /// Objects and areas still live in the simulation at the end.
    public var liveAtEnd: Int { objects.count + vmallocs.count }

    /// Continues on `machine` (the viewer owns the machine between steps).
    public mutating func replaceMachine(_ machine: Machine) { self.machine = machine }

    /// The simulation's events since the last call.
    public mutating func takeEvents() -> [HeapEvent] { machine.takeEvents() }

    /// Applies one line given as text.
    /// - Throws: as ``apply(bytes:line:strict:)``.
    public mutating func apply(_ text: Substring, line: Int, strict: Bool) throws(TraceInputError) {
        var copy = String(text)
        var failure: TraceInputError?
        copy.withUTF8 { bytes in
            do throws(TraceInputError) { try apply(bytes: bytes, line: line, strict: strict) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Applies one line.
    /// - Throws: ``TraceInputError`` for a line that is not ftrace text at all, or (with `strict`) a
    ///   malformed line of a known event. Without `strict` malformed lines are counted and skipped.
    public mutating func apply(bytes: UnsafeBufferPointer<UInt8>, line: Int, strict: Bool) throws(TraceInputError) {
        let d = decoder.decode(bytes, line: line)
        try apply(d, bytes: bytes, error: d.error >= 0 ? decoder.takeErrors().first : nil, strict: strict)
    }

    /// Applies one decoded line; `bytes` is its text (read again only on rare paths: a new call
    /// site, a new cache's name, an unknown event's name) and `error` why its fields could not be
    /// read, if they could not.
    mutating func apply(_ d: DecodedLine, bytes: UnsafeBufferPointer<UInt8>, error: TraceInputError?,
                        strict: Bool) throws(TraceInputError) {
        tally.lines = d.line
        switch d.kind {
        case .comment: return
        case .lost:
            // Saturating: three losses near Int.max must not trap a replay.
            let (sum, overflow) = tally.lostEvents.addingReportingOverflow(d.a)
            tally.lostEvents = overflow ? Int.max : sum
            return
        case .invalid:
            let text = String(decoding: bytes, as: UTF8.self)
            throw TraceInputError(file: file, line: d.line, message: "expected an ftrace line (COMM-PID [CPU] FLAGS TIME: EVENT: ...), found \"\(text.prefix(60))\"")
        case .otherEvent:
            var l = ByteLine(bytes)
            _ = l.parse()
            otherEvents[l.eventName, default: 0] += 1
            return
        case .event:
            eventCounts[Int(d.event.rawValue)] += 1
        }
        if let error {
            // A kprobe's area request is only read when a vmalloc awaits it.
            if d.event == .kpAllocVmapArea && pendingVmalloc[d.pid] == nil { return }
            if strict { throw error }
            tally.malformed.append(error)
            return
        }
        if d.skip { return }
        replay(d, bytes: bytes)
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
    func prefetchObject(_ d: DecodedLine) {
        guard d.kind == .event, !d.skip, d.event == .kfree || d.event == .kmemCacheFree, let ours = objects[d.address] else { return }
        machine.prefetchObject(ours)
    }

    mutating func site(_ d: DecodedLine, _ bytes: UnsafeBufferPointer<UInt8>) -> CallSite {
        guard d.siteEnd > d.siteStart else { return .unknown }
        if let id = siteCache[d.siteHash] { return id }
        let id = machine.callSite(String(decoding: UnsafeBufferPointer(rebasing: bytes[Int(d.siteStart)..<Int(d.siteEnd)]), as: UTF8.self))
        siteCache.updateValue(id, forKey: d.siteHash)
        return id
    }

    /// Replays one event whose fields were read without error.
    mutating func replay(_ d: DecodedLine, bytes: UnsafeBufferPointer<UInt8>) {
        let cpu = max(0, d.cpu) % machine.configuration.cpus
        let line = d.line
        switch d.event {
        case .kmemCacheAlloc, .kmemCacheAllocNode:
            let (req, realAlloc) = (d.a, d.b)
            guard let cache = cacheFor(objectSize: req, slotSize: realAlloc, bytes: bytes) else {
                tally.simulationFailures += 1
                return
            }
            if let ours = KmemCache.alloc(cache, flags: d.flags, site: site(d, bytes), cpu: cpu, in: &machine) {
                if let old = objects.updateValue(ours, forKey: d.address) { Kmalloc.kfree(old, in: &machine) }
                appliedCounts[Applied.kmemCacheAlloc.rawValue] += 1
                if check != nil {
                    check!.compare("kmem_cache_alloc bytes_alloc", line: line, real: realAlloc, ours: machine.slotSize(of: cache),
                                   what: "\(machine.cache(cache).name): ")
                }
            } else {
                tally.simulationFailures += 1
            }
        case .kmalloc, .kmallocNode:
            let (req, realAlloc) = (d.a, d.b)
            if let ours = Kmalloc.kmalloc(req, flags: d.flags, site: site(d, bytes), cpu: cpu, in: &machine) {
                if let old = objects.updateValue(ours, forKey: d.address) { Kmalloc.kfree(old, in: &machine) }
                appliedCounts[Applied.kmalloc.rawValue] += 1
                if check != nil {
                    let ourAlloc = Kmalloc.ksize(ours, in: machine) ?? 0
                    if realAlloc > KmallocSizes.maxCacheSize || ourAlloc > KmallocSizes.maxCacheSize {
                        check!.compare("large kmalloc order", line: line, real: Page.order(forBytes: realAlloc),
                                       ours: Page.order(forBytes: max(ourAlloc, 1)), what: "kmalloc(\(req)): ")
                    } else {
                        check!.compare("kmalloc bytes_alloc", line: line, real: realAlloc, ours: ourAlloc, what: "kmalloc(\(req)): ")
                    }
                }
            } else {
                tally.simulationFailures += 1
            }
        case .kfree, .kmemCacheFree:
            guard let ours = objects.removeValue(forKey: d.address) else { tally.freesOfUnknown += 1; return }
            let isCacheFree = d.event == .kmemCacheFree
            if isCacheFree, !unnamed.isEmpty, let loc = machine.locateObject(ours), unnamed.contains(loc.cache) {
                var l = ByteLine(bytes)
                if l.parse() == .event, let r = l.field("name") {
                    machine.renameCache(loc.cache, to: l.text(r))
                    unnamed.remove(loc.cache)
                }
            }
            if Kmalloc.kfree(ours, site: site(d, bytes), in: &machine) != nil { tally.violations += 1 }
            appliedCounts[(isCacheFree ? Applied.kmemCacheFree : Applied.kfree).rawValue] += 1
        case .mmPageAlloc:
            let order = d.a
            if let ours = try? machine.allocPages(order: order, gfp: d.flags, owner: .outside) {
                // A free the trace lost: give the earlier block back before reusing the name.
                if let (old, oldOrder) = outside.updateValue((ours, order), forKey: d.address) { try? machine.freePages(old, order: oldOrder) }
                appliedCounts[Applied.outsidePages.rawValue] += 1
            } else {
                tally.simulationFailures += 1
            }
        case .mmPageFree, .mmPageFreeBatched:
            if let (ours, order) = outside.removeValue(forKey: d.address) { try? machine.freePages(ours, order: order) }
        case .kpVmalloc:
            sawVmallocProbes = true
            let ours = Vmalloc.vmalloc(d.a, align: d.b, flags: d.flags, site: site(d, bytes), in: &machine)
            let area = ours.flatMap { p in machine.vmap.areaIndex(startingAt: p.rawValue).map { machine.vmap.areas[$0] } }
            pendingVmalloc[d.pid] = (line, ours, area?.size ?? 0, area?.align ?? 0)
            awaitingReturn[d.pid] = ours
            if ours == nil { tally.simulationFailures += 1 } else { appliedCounts[Applied.vmalloc.rawValue] += 1 }
        case .kpAllocVmapArea, .allocVmapArea:
            // The first area request after a kp_vmalloc of the same task is that vmalloc's area.
            guard let pending = pendingVmalloc.removeValue(forKey: d.pid) else {
                if d.event == .allocVmapArea && !sawVmallocProbes && !d.failed { vmapArea(d, bytes: bytes) }
                return
            }
            check?.compare("vmalloc area size", line: line, real: d.a, ours: pending.size, what: "vmalloc at line \(pending.line): ")
            // The kernel passes the caller's alignment (1 = any page); memtop places at >= PAGE_SIZE.
            check?.compare("vmalloc alignment", line: line, real: max(d.b, Page.size), ours: pending.align,
                           what: "vmalloc at line \(pending.line): ")
        case .kpVmallocRet:
            guard let ours = awaitingReturn.removeValue(forKey: d.pid) else { return }
            if d.address != 0, let ours { vmallocs.updateValue(ours, forKey: d.address) } else if let ours { Vmalloc.vfree(ours, in: &machine) }
        case .kpVunmapCore:
            guard let ours = vmallocs.removeValue(forKey: d.address) else { tally.freesOfUnknown += 1; return }
            if Vmalloc.vfree(ours, in: &machine) != nil { tally.violations += 1 }
            appliedCounts[Applied.vfree.rawValue] += 1
        case .freeVmapAreaNoflush:
            // Without the kprobes, the area's lazy free is the only sign of a vfree.
            guard !sawVmallocProbes else { return }
            guard let ours = vmallocs.removeValue(forKey: d.address) else { tally.freesOfUnknown += 1; return }
            if Vmalloc.vfree(ours, in: &machine) != nil { tally.violations += 1 }
            appliedCounts[Applied.vfree.rawValue] += 1
        case .kpVfree, .kpVfreeAtomic, .kpVunmap, .kpAllocVmapAreaRet, .kpFreeVmapAreaNoflush, .kpPurgeVmapAreaLazy,
             .kpVmap, .kpVmapRet, .purgeVmapAreaLazy:
            break
        }
    }

    /// A 6.2+ `alloc_vmap_area` with no kprobes in the trace: the area (its size includes the guard
    /// page) is replayed as a vmalloc of the rest, at the same alignment, so that the vmalloc range
    /// and its pages fill as they did. vmap and ioremap areas map pages that already exist; the
    /// tracepoint does not say which kind an area is, so they get pages too (documented).
    mutating func vmapArea(_ d: DecodedLine, bytes: UnsafeBufferPointer<UInt8>) {
        guard d.a > Page.size else { return }
        let ours = Vmalloc.vmalloc(d.a - Page.size, align: max(d.b, 1), flags: .kernel, in: &machine)
        guard let ours else { tally.simulationFailures += 1; return }
        if let old = vmallocs.updateValue(ours, forKey: d.address) { Vmalloc.vfree(old, in: &machine) }
        appliedCounts[Applied.vmalloc.rawValue] += 1
    }

    mutating func cacheFor(objectSize: Int, slotSize: Int, bytes: UnsafeBufferPointer<UInt8>) -> CacheID? {
        let key = UInt64(objectSize) << 32 | UInt64(slotSize)
        if let id = namedCaches[key] { return id }
        var l = ByteLine(bytes)
        let name = l.parse() == .event ? l.field("name").map { l.text($0) } : nil
        guard let id = machine.createCache(name: name ?? "cache-\(objectSize)-\(slotSize)", objectSize: objectSize,
                                           size: slotSize, align: 8) else { return nil }
        if name == nil { unnamed.insert(id) }
        namedCaches.updateValue(id, forKey: key)
        return id
    }
}

/// The trace events memtop reads, recognised once per line from the event name.
enum TraceEvent: UInt8, CaseIterable {
    case kmalloc, kmallocNode, kmemCacheAlloc, kmemCacheAllocNode, kfree, kmemCacheFree
    case mmPageAlloc, mmPageFree, mmPageFreeBatched
    case kpVmalloc, kpAllocVmapArea, allocVmapArea, kpVmallocRet, kpVunmapCore
    case kpVfree, kpVfreeAtomic, kpVunmap, kpAllocVmapAreaRet, kpFreeVmapAreaNoflush, kpPurgeVmapAreaLazy
    case kpVmap, kpVmapRet, purgeVmapAreaLazy, freeVmapAreaNoflush

    /// The name as ftrace prints it.
    var name: String {
        switch self {
        case .kmalloc: "kmalloc"
        case .kmallocNode: "kmalloc_node"
        case .kmemCacheAlloc: "kmem_cache_alloc"
        case .kmemCacheAllocNode: "kmem_cache_alloc_node"
        case .kfree: "kfree"
        case .kmemCacheFree: "kmem_cache_free"
        case .mmPageAlloc: "mm_page_alloc"
        case .mmPageFree: "mm_page_free"
        case .mmPageFreeBatched: "mm_page_free_batched"
        case .kpVmalloc: "kp_vmalloc"
        case .kpAllocVmapArea: "kp_alloc_vmap_area"
        case .allocVmapArea: "alloc_vmap_area"
        case .kpVmallocRet: "kp_vmalloc_ret"
        case .kpVunmapCore: "kp_vunmap_core"
        case .kpVfree: "kp_vfree"
        case .kpVfreeAtomic: "kp_vfree_atomic"
        case .kpVunmap: "kp_vunmap"
        case .kpAllocVmapAreaRet: "kp_alloc_vmap_area_ret"
        case .kpFreeVmapAreaNoflush: "kp_free_vmap_area_noflush"
        case .kpPurgeVmapAreaLazy: "kp_purge_vmap_area_lazy"
        case .kpVmap: "kp_vmap"
        case .kpVmapRet: "kp_vmap_ret"
        case .purgeVmapAreaLazy: "purge_vmap_area_lazy"
        case .freeVmapAreaNoflush: "free_vmap_area_noflush"
        }
    }

    /// The event of an ftrace line, or nil for names memtop does not read.
    init?(_ l: ByteLine) {
        let len = l.eventEnd - l.eventStart
        guard let base = l.bytes.baseAddress else { return nil }
        let p = base + l.eventStart
        func matches(_ name: StaticString) -> Bool { memcmp(p, name.utf8Start, len) == 0 }
        switch len {
        case 5:
            if matches("kfree") { self = .kfree; return }
        case 7:
            if matches("kmalloc") { self = .kmalloc; return }
            if matches("kp_vmap") { self = .kpVmap; return }
        case 8:
            if matches("kp_vfree") { self = .kpVfree; return }
        case 9:
            if matches("kp_vunmap") { self = .kpVunmap; return }
        case 10:
            if matches("kp_vmalloc") { self = .kpVmalloc; return }
        case 11:
            if matches("kp_vmap_ret") { self = .kpVmapRet; return }
        case 12:
            if matches("kmalloc_node") { self = .kmallocNode; return }
            if matches("mm_page_free") { self = .mmPageFree; return }
        case 13:
            if matches("mm_page_alloc") { self = .mmPageAlloc; return }
        case 14:
            if matches("kp_vmalloc_ret") { self = .kpVmallocRet; return }
            if matches("kp_vunmap_core") { self = .kpVunmapCore; return }
        case 15:
            if matches("kmem_cache_free") { self = .kmemCacheFree; return }
            if matches("alloc_vmap_area") { self = .allocVmapArea; return }
            if matches("kp_vfree_atomic") { self = .kpVfreeAtomic; return }
        case 16:
            if matches("kmem_cache_alloc") { self = .kmemCacheAlloc; return }
        case 18:
            if matches("kp_alloc_vmap_area") { self = .kpAllocVmapArea; return }
        case 20:
            if matches("mm_page_free_batched") { self = .mmPageFreeBatched; return }
            if matches("purge_vmap_area_lazy") { self = .purgeVmapAreaLazy; return }
        case 21:
            if matches("kmem_cache_alloc_node") { self = .kmemCacheAllocNode; return }
        case 22:
            if matches("kp_alloc_vmap_area_ret") { self = .kpAllocVmapAreaRet; return }
            if matches("free_vmap_area_noflush") { self = .freeVmapAreaNoflush; return }
        case 23:
            if matches("kp_purge_vmap_area_lazy") { self = .kpPurgeVmapAreaLazy; return }
        case 25:
            if matches("kp_free_vmap_area_noflush") { self = .kpFreeVmapAreaNoflush; return }
        default: break
        }
        return nil
    }
}

/// The operations a replay applies, counted for the summary.
enum Applied: Int, CaseIterable {
    case kmalloc, kmemCacheAlloc, kfree, kmemCacheFree, outsidePages, vmalloc, vfree

    /// The summary's name.
    var name: String {
        switch self {
        case .kmalloc: "kmalloc"
        case .kmemCacheAlloc: "kmem_cache_alloc"
        case .kfree: "kfree"
        case .kmemCacheFree: "kmem_cache_free"
        case .outsidePages: "outside pages"
        case .vmalloc: "vmalloc"
        case .vfree: "vfree"
        }
    }
}
