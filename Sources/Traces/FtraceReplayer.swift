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
    /// Events the ring buffer dropped (`[LOST N EVENTS]`).
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
    private var eventCounts: [UInt64: (name: String, count: Int)] = [:]
    private var flagCache: [UInt64: GFPFlags] = [:]
    private var siteCache: [UInt64: CallSite] = [:]
    /// The last flags and call site seen: consecutive lines often repeat them, and a hit skips hashing.
    private var lastFlags: (UInt64, GFPFlags) = (0, [])
    private var lastSite: (UInt64, CallSite) = (0, .unknown)
    private var lastEventHash: UInt64 = 0
    /// The check, when asked for.
    public private(set) var check: CheckReport?
    /// The input's name for messages.
    let file: String

    private var objects: [UInt64: VirtualAddress] = [:]
    private var namedCaches: [UInt64: CacheID] = [:]
    private var unnamed: Set<CacheID> = []
    private var vmallocs: [UInt64: VirtualAddress] = [:]
    private var pendingVmalloc: [Int: (line: Int, ours: VirtualAddress?, size: Int, align: Int)] = [:]
    private var awaitingReturn: [Int: VirtualAddress?] = [:]
    private var outside: [UInt64: (PageFrameNumber, Int)] = [:]

    /// Events memtop reads but that carry no decision to replay.
    static let knownWithoutDecisions: Set<String> = ["kp_vfree", "kp_vfree_atomic", "kp_vunmap", "kp_alloc_vmap_area_ret",
                                                     "kp_free_vmap_area_noflush", "kp_purge_vmap_area_lazy", "kp_vmap", "kp_vmap_ret",
                                                     "purge_vmap_area_lazy", "free_vmap_area_noflush"]

    /// A replayer on `machine`, checking when `check` is true.
    public init(machine: Machine, file: String, check: Bool) {
        self.machine = machine
        self.file = file
        self.check = check ? CheckReport() : nil
    }

    /// The summary so far.
    public var summary: ReplaySummary {
        var s = tally
        for (_, entry) in eventCounts { s.events[entry.name, default: 0] += entry.count }
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
        tally.lines = line
        var l = ByteLine(bytes)
        switch l.parse() {
        case .comment: return
        case .lost(let n): tally.lostEvents += n; return
        case .invalid:
            let text = String(decoding: bytes, as: UTF8.self)
            throw TraceInputError(file: file, line: line, message: "expected an ftrace line (COMM-PID [CPU] FLAGS TIME: EVENT: ...), found \"\(text.prefix(60))\"")
        case .event: break
        }
        let nameHash = l.hash(l.eventStart..<l.eventEnd)
        if nameHash != lastEventHash && eventCounts[nameHash] == nil { eventCounts[nameHash] = (l.eventName, 0) }
        lastEventHash = nameHash
        eventCounts[nameHash]!.count += 1
        do throws(TraceInputError) {
            if !(try replay(l, line: line)) { tally.unknownEvents[l.eventName, default: 0] += 1 }
        } catch {
            if strict { throw error }
            tally.malformed.append(error)
        }
    }

    func fail(_ l: ByteLine, _ line: Int, _ what: String) -> TraceInputError {
        TraceInputError(file: file, line: line, message: "expected \(what) in \(l.eventName), found \"\(l.bodyText.prefix(60))\"")
    }

    func number(_ l: ByteLine, _ key: StaticString, line: Int) throws(TraceInputError) -> UInt64 {
        guard let r = l.field(key) else { throw fail(l, line, "\(key)=") }
        guard let n = l.number(r) else {
            throw TraceInputError(file: file, line: line, message: "expected a number for \(key)=, found \"\(l.text(r).prefix(40))\"")
        }
        return n
    }

    /// A non-negative count that fits an Int (sizes, orders); anything else is malformed.
    func count(_ l: ByteLine, _ key: StaticString, line: Int, max limit: Int = Int.max / 4) throws(TraceInputError) -> Int {
        let raw = try number(l, key, line: line)
        guard let n = Int(exactly: raw), n >= 0, n <= limit else {
            throw TraceInputError(file: file, line: line, message: "expected \(key)= between 0 and \(limit), found \(Int64(bitPattern: raw))")
        }
        return n
    }

    func pointer(_ l: ByteLine, _ key: StaticString, line: Int) throws(TraceInputError) -> UInt64 {
        guard let r = l.field(key), let n = l.pointer(r) else { throw fail(l, line, "\(key)=<hex pointer>") }
        return n
    }

    mutating func flags(_ l: ByteLine, _ key: StaticString, line: Int) throws(TraceInputError) -> GFPFlags {
        guard let r = l.field(key) else { throw fail(l, line, "\(key)=") }
        let h = l.hash(r)
        if h == lastFlags.0 && h != 0 { return lastFlags.1 }
        if let f = flagCache[h] { lastFlags = (h, f); return f }
        do {
            let f = try GFPFlags(parsing: l.text(r), kernel: machine.configuration.kernel)
            flagCache[h] = f
            lastFlags = (h, f)
            return f
        } catch {
            throw TraceInputError(file: file, line: line, message: "expected GFP flags for \(key)=, found unknown \"\(error.unknownPart)\"")
        }
    }

    mutating func site(_ l: ByteLine) -> CallSite {
        guard let r = l.field("call_site") ?? l.field("caller") else { return .unknown }
        let h = l.hash(r)
        if h == lastSite.0 && h != 0 { return lastSite.1 }
        if let id = siteCache[h] { lastSite = (h, id); return id }
        let id = machine.callSite(l.text(r))
        siteCache[h] = id
        lastSite = (h, id)
        return id
    }

    /// Replays a known event; returns false for events of other kinds.
    mutating func replay(_ l: ByteLine, line: Int) throws(TraceInputError) -> Bool {
        let cpu = max(0, l.cpu) % machine.configuration.cpus
        if l.eventIs("kmem_cache_alloc") || l.eventIs("kmem_cache_alloc_node") {
            let ptr = try pointer(l, "ptr", line: line)
            let req = try count(l, "bytes_req", line: line)
            let realAlloc = try count(l, "bytes_alloc", line: line)
            let gfp = try flags(l, "gfp_flags", line: line)
            guard ptr != 0 else { return true }
            guard realAlloc >= 8, realAlloc <= KmallocSizes.maxSize, req <= realAlloc else {
                throw TraceInputError(file: file, line: line, message: "expected 8 <= bytes_alloc <= 4194304 and bytes_req <= bytes_alloc, found \(req)/\(realAlloc)")
            }
            guard let cache = cacheFor(objectSize: req, slotSize: realAlloc, name: l.field("name").map { Substring(l.text($0)) }) else {
                tally.simulationFailures += 1
                return true
            }
            if let ours = KmemCache.alloc(cache, flags: gfp, site: site(l), cpu: cpu, in: &machine) {
                if let old = objects.updateValue(ours, forKey: ptr) { Kmalloc.kfree(old, in: &machine) }
                tally.applied["kmem_cache_alloc", default: 0] += 1
                check?.compare("kmem_cache_alloc bytes_alloc", line: line, real: realAlloc, ours: machine.cache(cache).geometry.size,
                               what: "\(machine.cache(cache).name): ")
            } else {
                tally.simulationFailures += 1
            }
        } else if l.eventIs("kmalloc") || l.eventIs("kmalloc_node") {
            let ptr = try pointer(l, "ptr", line: line)
            let req = try count(l, "bytes_req", line: line)
            let realAlloc = try count(l, "bytes_alloc", line: line)
            let gfp = try flags(l, "gfp_flags", line: line)
            guard ptr != 0 else { return true }
            guard realAlloc > 0, realAlloc <= KmallocSizes.maxSize * 2 else {
                throw TraceInputError(file: file, line: line, message: "expected 0 < bytes_alloc <= 8388608, found \(realAlloc)")
            }
            let s = site(l)
            if let ours = Kmalloc.kmalloc(req, flags: gfp, site: s, cpu: cpu, in: &machine) {
                if let old = objects.updateValue(ours, forKey: ptr) { Kmalloc.kfree(old, in: &machine) }
                tally.applied["kmalloc", default: 0] += 1
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
        } else if l.eventIs("kfree") || l.eventIs("kmem_cache_free") {
            let ptr = try pointer(l, "ptr", line: line)
            if ptr == 0 || ptr == 16 { return true }
            guard let ours = objects.removeValue(forKey: ptr) else { tally.freesOfUnknown += 1; return true }
            let isCacheFree = l.eventIs("kmem_cache_free")
            if isCacheFree, let r = l.field("name"), let loc = machine.locateObject(ours), unnamed.contains(loc.cache) {
                machine.renameCache(loc.cache, to: l.text(r))
                unnamed.remove(loc.cache)
            }
            if Kmalloc.kfree(ours, site: site(l), in: &machine) != nil { tally.violations += 1 }
            tally.applied[isCacheFree ? "kmem_cache_free" : "kfree", default: 0] += 1
        } else if l.eventIs("mm_page_alloc") {
            let pfn = try number(l, "pfn", line: line)
            let order = try count(l, "order", line: line, max: Page.maxOrder)
            let type = try count(l, "migratetype", line: line, max: 16)
            guard type == MigrateType.movable.rawValue else { return true }
            if let r = l.field("page"), l.pointer(r) == 0 { return true }
            let gfp = try flags(l, "gfp_flags", line: line)
            if let ours = try? machine.allocPages(order: order, gfp: gfp, owner: .outside) {
                // A free the trace lost: give the earlier block back before reusing the name.
                if let (old, oldOrder) = outside.updateValue((ours, order), forKey: pfn) { try? machine.freePages(old, order: oldOrder) }
                tally.applied["outside pages", default: 0] += 1
            } else {
                tally.simulationFailures += 1
            }
        } else if l.eventIs("mm_page_free") || l.eventIs("mm_page_free_batched") {
            let pfn = try number(l, "pfn", line: line)
            if let (ours, order) = outside.removeValue(forKey: pfn) { try? machine.freePages(ours, order: order) }
        } else if l.eventIs("kp_vmalloc") {
            let size = try count(l, "size", line: line)
            let align = try count(l, "align", line: line)
            let gfp = GFPFlags(rawValue: UInt32(truncatingIfNeeded: try number(l, "gfp", line: line)))
            let ours = Vmalloc.vmalloc(size, align: align, flags: gfp, site: site(l), in: &machine)
            let area = ours.flatMap { p in machine.vmap.areaIndex(startingAt: p.rawValue).map { machine.vmap.areas[$0] } }
            pendingVmalloc[l.pid] = (line, ours, area?.size ?? 0, area?.align ?? 0)
            awaitingReturn[l.pid] = ours
            if ours == nil { tally.simulationFailures += 1 } else { tally.applied["vmalloc", default: 0] += 1 }
        } else if l.eventIs("kp_alloc_vmap_area") || l.eventIs("alloc_vmap_area") {
            // The first area request after a kp_vmalloc of the same task is that vmalloc's area.
            guard pendingVmalloc[l.pid] != nil else { return true }
            let size = try count(l, "size", line: line)
            let align = try count(l, "align", line: line)
            guard let pending = pendingVmalloc.removeValue(forKey: l.pid) else { return true }
            check?.compare("vmalloc area size", line: line, real: size, ours: pending.size, what: "vmalloc at line \(pending.line): ")
            // The kernel passes the caller's alignment (1 = any page); memtop places at >= PAGE_SIZE.
            check?.compare("vmalloc alignment", line: line, real: max(align, Page.size), ours: pending.align,
                           what: "vmalloc at line \(pending.line): ")
        } else if l.eventIs("kp_vmalloc_ret") {
            let ret = try number(l, "ret", line: line)
            guard let ours = awaitingReturn.removeValue(forKey: l.pid) else { return true }
            if ret != 0, let ours { vmallocs[ret] = ours } else if let ours { Vmalloc.vfree(ours, in: &machine) }
        } else if l.eventIs("kp_vunmap_core") {
            let addr = try number(l, "addr", line: line)
            if let r = l.field("deallocate_pages"), l.number(r) == 0 { return true }
            guard let ours = vmallocs.removeValue(forKey: addr) else { tally.freesOfUnknown += 1; return true }
            if Vmalloc.vfree(ours, in: &machine) != nil { tally.violations += 1 }
            tally.applied["vfree", default: 0] += 1
        } else {
            return FtraceReplayer.knownWithoutDecisions.contains(l.eventName)
        }
        return true
    }

    mutating func cacheFor(objectSize: Int, slotSize: Int, name: Substring?) -> CacheID? {
        let key = UInt64(objectSize) << 32 | UInt64(slotSize)
        if let id = namedCaches[key] { return id }
        guard let id = machine.createCache(name: name.map(String.init) ?? "cache-\(objectSize)-\(slotSize)", objectSize: objectSize,
                                           size: slotSize, align: 8) else { return nil }
        if name == nil { unnamed.insert(id) }
        namedCaches[key] = id
        return id
    }
}
