import HeapModel

/// What the live run hands one frame: the machine as of now and what the session sampled over the
/// run (log, history, narration, timelines, call sites). The statistics step
/// (``FrameStatistics``) reads it once per frame; widgets never do.
public struct FrameSnapshot: Sendable {
    /// The machine as of this frame (a copy: O(1), and immune to later steps).
    public var machine: Machine
    /// The status bar's facts.
    public var status: StatusInfo
    /// The latest log lines, oldest first.
    public var log: [LogLine]
    /// Fragmentation history: the unusable index (×1000) at order 3 of the largest zone, one sample per frame.
    public var history: [Int]
    /// A lesson's narration so far, oldest first (empty when the source narrates nothing).
    public var narration: [NarrationCard]
    /// The call-site table's rows, when the slab panel shows call sites (else empty).
    public var callSites: [CallSiteRow] = []
    /// Frames the page map highlights: those of the selected call site.
    public var highlight: Set<Int> = []
    /// The selected cache's objects and slabs over the run so far, when the slab panel has focus.
    public var cacheTimeline: CacheTimeline?
    /// The fragmentation panel's zone: its free blocks of each order over the run, `[order][sample]`.
    public var zoneTimeline: [[Int]] = []
    /// The step (trace line or operation) whose event placed the block of the frame under the
    /// cursor, when the inspector is open and an event did.
    public var cursorPlacedStep: Int?

    /// A snapshot.
    public init(machine: Machine, status: StatusInfo, log: [LogLine] = [], history: [Int] = [], narration: [NarrationCard] = []) {
        self.machine = machine
        self.status = status
        self.log = log
        self.history = history
        self.narration = narration
    }
}

/// The status bar's facts.
public struct StatusInfo: Hashable, Sendable {
    /// The workload or trace name.
    public var source: String
    /// Operations done.
    public var step: Int
    /// Operations in all, when known.
    public var total: Int?
    /// Target speed in operations per second.
    public var speed: Int
    /// Playing or paused.
    public var playing: Bool
    /// The source has no more operations.
    public var finished: Bool
    /// What a step is: `line` for a trace (its line numbers), `op` for a workload's operations.
    public var counter = "op"

    /// Status facts.
    public init(source: String, step: Int = 0, total: Int? = nil, speed: Int = 1000, playing: Bool = true, finished: Bool = false) {
        self.source = source
        self.step = step
        self.total = total
        self.speed = speed
        self.playing = playing
        self.finished = finished
    }
}

/// One line of the event log.
public struct LogLine: Hashable, Sendable {
    /// How the line is shown.
    public enum Kind: Hashable, Sendable {
        /// An ordinary event.
        case event
        /// A narration line from a trace or lesson.
        case narration
        /// A failed allocation.
        case warning
        /// A contract violation.
        case violation
    }
    /// How it is shown.
    public var kind: Kind
    /// The text.
    public var text: String
    /// Sequence number of the event, if it was one.
    public var sequence: UInt64?
    /// The step (trace line or workload operation) that made it: the header's counter.
    public var step: Int?

    /// A log line.
    public init(kind: Kind, text: String, sequence: UInt64? = nil) {
        self.kind = kind
        self.text = text
        self.sequence = sequence
    }
}

/// Turns events into log lines, in the spirit of ftrace's text (splits and merges are left out:
/// they would drown everything else).
public enum EventFormatter {
    /// Whether ``lines(_:in:)`` gives `event` a warning or violation line (lines the log keeps
    /// even when too many events happened to show them all), decided without formatting.
    public static func isNotable(_ event: HeapEvent) -> Bool {
        switch event.kind {
        case .pageAllocationFailed(_, _, true), .badPageFree, .allocationFailed(_, _, _, true), .contractViolated: true
        case let .watermarkCrossed(_, _, to, _): to <= .belowLow
        default: false
        }
    }

    /// The log lines for `event`; empty for events the log does not show.
    public static func lines(_ event: HeapEvent, in machine: Machine) -> [LogLine] {
        let kernel = machine.configuration.kernel
        let seq = event.sequence
        func line(_ text: String, _ kind: LogLine.Kind = .event) -> [LogLine] { [LogLine(kind: kind, text: text, sequence: seq)] }
        switch event.kind {
        case .blockSplit, .buddiesMerged: return []
        case let .pagesAllocated(pfn, order, type, gfp, zone):
            return line("mm_page_alloc pfn=\(pfn) order=\(order) migratetype=\(type.rawValue) \(zone) gfp_flags=\(gfp.traceString(kernel))")
        case let .pagesFreed(pfn, order, _):
            return line("mm_page_free pfn=\(pfn) order=\(order)")
        case let .pageAllocationFailed(order, gfp, warn):
            return warn ? line("page allocation failure: order:\(order), mode:\(hexString(gfp.rawValue))(\(gfp.traceString(kernel)))", .warning) : []
        case let .fallbackTaken(pfn, order, fallbackOrder, allocType, fallbackType, changed):
            return line("mm_page_alloc_extfrag pfn=\(pfn) alloc_order=\(order) fallback_order=\(fallbackOrder) \(allocType)<-\(fallbackType)"
                        + (changed ? " (pageblock claimed)" : ""))
        case let .watermarkCrossed(zone, _, to, free):
            return line("\(zone) free pages \(free): now \(to.description.replacingUnderscores)", to <= .belowLow ? .warning : .event)
        case let .badPageFree(bad):
            return line(bad.report, .violation)
        case let .slabCreated(cache, pfn, order, objects):
            return line("new slab of \(machine.cache(cache).name): pfn=\(pfn) order=\(order) objects=\(objects)")
        case let .slabDestroyed(cache, pfn, order):
            return line("empty slab of \(machine.cache(cache).name) returned: pfn=\(pfn) order=\(order)")
        case let .kmalloc(ptr, req, alloc, gfp, cache, site):
            let where_ = cache.map { machine.cache($0).name } ?? "pages"
            return line("kmalloc \(machine.name(of: site)) ptr=\(ptr) bytes_req=\(req) bytes_alloc=\(alloc) \(where_) \(gfp.traceString(kernel))")
        case let .kmemCacheAlloc(ptr, cache, gfp, _):
            return line("kmem_cache_alloc \(machine.cache(cache).name) ptr=\(ptr) \(gfp.traceString(kernel))")
        case let .kfree(ptr, site):
            return ptr == .null ? [] : line("kfree \(machine.name(of: site)) ptr=\(ptr)")
        case let .kmemCacheFree(ptr, cache, _):
            return line("kmem_cache_free \(machine.cache(cache).name) ptr=\(ptr)")
        case let .allocationFailed(function, size, gfp, warn):
            return warn ? line("\(function)(\(size), \(gfp.traceString(kernel))) failed", .warning) : []
        case let .vmalloc(start, size, align, req, _, site):
            return line("vmalloc \(machine.name(of: site)) start=\(start) size=\(size) align=\(align) bytes_req=\(req)")
        case let .vfree(start, size, _):
            return line("vfree start=\(start) size=\(size) (range waits for the lazy purge)")
        case let .vreallocInPlace(start, old, new):
            return line("vrealloc in place start=\(start) \(old) -> \(new) bytes")
        case let .vmapPurged(areas, pages):
            return line("purge_vmap_area_lazy: \(areas) areas, \(pages) pages returned to the vmalloc space")
        case let .rustRealloc(allocator, old, new, oldSize, newSize, align):
            let from = old.map { "\($0)" } ?? "None"
            let to = new.map { "\($0)" } ?? "dangling"
            return line("\(allocator)::realloc \(from) (\(oldSize) B) -> \(to) (\(newSize) B, align \(align))")
        case let .contractViolated(v):
            // The report's substance, one log line each: title, access, sites, object.
            let lines = v.report.split(separator: "\n").map { String($0) }
                .filter { !$0.hasPrefix("=====") && !$0.isEmpty }
            return lines.map { LogLine(kind: .violation, text: $0, sequence: seq) }
        }
    }
}

extension String {
    var replacingUnderscores: String { String(map { $0 == "_" ? " " : $0 }) }
}

/// `0x` and lower-case hex.
func hexString<T: BinaryInteger>(_ v: T) -> String { "0x" + String(v, radix: 16) }
