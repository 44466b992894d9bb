import Allocators
import HeapModel

/// Reads ftrace lines into ``DecodedLine`` values. Holds only what the text needs (the kernel's
/// flag names and a cache of parsed flag strings), never the machine.
struct FtraceDecoder {
    let file: String
    let kernel: KernelVersion
    private var flagCache = PointerMap<GFPFlags>(filler: [])
    /// Errors of the lines decoded since the last ``takeErrors()``.
    var errors: [TraceInputError] = []

    /// Whether lines' timestamps are read (see ``BlockReader``: a block's last timestamp is read
    /// in any case, so that the replay ends knowing its time).
    var readsTimestamps = true

    /// Whether every page allocation is read (a replay that places pages as the trace did), or only
    /// the movable ones (the others are pages memtop's own allocators make for themselves).
    let readsKernelPages: Bool

    init(file: String, kernel: KernelVersion, readsKernelPages: Bool = false) {
        self.file = file
        self.kernel = kernel
        self.readsKernelPages = readsKernelPages
    }

    mutating func takeErrors() -> [TraceInputError] {
        defer { errors.removeAll(keepingCapacity: true) }
        return errors
    }

    /// Decodes one line. Field errors are kept in ``errors`` and referenced from the result.
    mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>, line: Int) -> DecodedLine {
        var d = DecodedLine(kind: .comment, line: line)
        decode(bytes, line: line, into: &d)
        return d
    }

    /// Decodes one line into `d`, in place: the reader decodes into its block's array, since
    /// copying a record just written field by field stalls on store forwarding.
    mutating func decode(_ bytes: UnsafeBufferPointer<UInt8>, line: Int, into d: inout DecodedLine) {
        var l = ByteLine(bytes)
        l.readsTimestamp = readsTimestamps
        switch l.parse() {
        case .comment: d = DecodedLine(kind: .comment, line: line); return
        case .lost(let n): d = DecodedLine(kind: .lost, line: line, a: n); return
        case .invalid: d = DecodedLine(kind: .invalid, line: line); return
        case .frame: d = frame(l, line: line); return
        case .event: break
        }
        guard let base = bytes.baseAddress, let event = TraceEvent(name: base + l.eventStart, count: l.eventEnd - l.eventStart) else {
            d = DecodedLine(kind: .otherEvent, line: line, timestamp: l.timestamp)
            return
        }
        d = DecodedLine(kind: .event, event: event, line: line, timestamp: l.timestamp, cpu: l.cpu, pid: l.pid)
        d.chainMayFollow = l.grouped
        do throws(TraceInputError) {
            try fields(event, &l, into: &d)
        } catch {
            d.error = Int32(errors.count)
            errors.append(error)
        }
        if d.pid < 0 && Self.readsTask(of: d) {
            l.readPid()
            d.pid = l.pid
        }
    }

    /// Whether the replay asks the task of a decoded line (the pid is read for those only): the
    /// vmalloc events (paired per task, nested calls too), a failed kmalloc (kvmalloc's fallback
    /// follows in the same task), an order-9 page allocation (a huge vmalloc's block) and an order-0
    /// one with a vmalloc'd page's flags (a page the bulk allocator left to the single-page one).
    static func readsTask(of d: DecodedLine) -> Bool {
        switch d.event {
        case .kmalloc, .kmallocNode: d.address == 0
        case .mmPageAlloc: d.a == Vmalloc.hugePageOrder || (d.a == 0 && FtraceReplayer.isVmallocPage(d.flags))
        default: d.event.isVmalloc
        }
    }

    /// Reads the fields of `event`, in the order the kernel prints them.
    private mutating func fields(_ event: TraceEvent, _ l: inout ByteLine, into d: inout DecodedLine) throws(TraceInputError) {
        let line = d.line
        switch event {
        case .kmemCacheAlloc, .kmemCacheAllocNode, .kmalloc, .kmallocNode:
            if !fastAllocation(&l, into: &d) {
                site(&l, into: &d, "call_site", "caller")
                d.address = try l.pointer("ptr", file: file, line: line)
                d.a = try l.count("bytes_req", file: file, line: line)
                d.b = try l.count("bytes_alloc", file: file, line: line)
                d.flags = try flags(&l, "gfp_flags", line: line)
            }
            d.skip = d.address == 0
            if !d.skip { try checkSizes(event, d) }
        case .kfree, .kmemCacheFree:
            if !fastFree(&l, into: &d) {
                site(&l, into: &d, "call_site", "caller")
                d.address = try l.pointer("ptr", file: file, line: line)
            }
            d.skip = d.address == 0 || d.address == 16   // NULL and ZERO_SIZE_PTR
        case .mmPageAlloc, .mmPageFree, .mmPageFreeBatched:
            if !fastPage(event, &l, into: &d) { try pageFields(event, &l, into: &d) }
        case .kpVmalloc, .kpAllocVmapArea, .allocVmapArea, .freeVmapAreaNoflush, .kpFreeVmapAreaNoflush, .kpVmallocRet, .kpVunmapCore:
            try vmallocFields(event, &l, into: &d)
        case .kpVfree, .kpVfreeAtomic, .kpVunmap, .kpAllocVmapAreaRet, .kpPurgeVmapAreaLazy,
             .kpVmap, .kpVmapRet, .purgeVmapAreaLazy:
            d.skip = true   // read, but they carry no decision to replay
        }
    }

    /// The page events' fields, in any order and layout (the general path).
    private mutating func pageFields(_ event: TraceEvent, _ l: inout ByteLine, into d: inout DecodedLine) throws(TraceInputError) {
        let line = d.line
        switch event {
        case .mmPageAlloc:
            if let r = l.field("page"), l.pointer(r) == 0 { d.skip = true; return }
            d.address = try l.number("pfn", file: file, line: line)
            d.a = try l.count("order", file: file, line: line, max: Page.maxOrder)
            try alignment(d)
            d.b = try l.count("migratetype", file: file, line: line, max: 16)
            // Only movable pages are someone else's (page cache, user memory); the rest the simulation makes itself.
            guard readsKernelPages || d.b == MigrateType.movable.rawValue else { d.skip = true; return }
            d.flags = try flags(&l, "gfp_flags", line: line)
        case .mmPageFree, .mmPageFreeBatched:
            d.address = try l.number("pfn", file: file, line: line)
            // mm_page_free_batched is always order 0, and trace-cmd report -R prints no order for it.
            if readsKernelPages && event == .mmPageFree {
                d.a = try l.count("order", file: file, line: line, max: Page.maxOrder)
                try alignment(d)
            }
            // Read here, on the decoding thread: the simulating one has more to do per line.
            if readsKernelPages && event == .mmPageFree { d.compacting = CompactionTargets.isCompactionTask(l.bytes) }
        default:
            break
        }
    }

    /// A block's pfn is a multiple of its size (the buddy allocator's blocks are naturally aligned):
    /// a line saying otherwise is malformed, not a block to place.
    private func alignment(_ d: DecodedLine) throws(TraceInputError) {
        guard d.address & UInt64((1 << d.a) - 1) != 0 else { return }
        throw TraceInputError(file: file, line: d.line, message: "expected a pfn= that is a multiple of order \(d.a)'s \(1 << d.a) pages, found pfn=0x\(String(d.address, radix: 16))")
    }

    /// The page events as the kernel prints them, `page=P pfn=0xN order=N`, and for an allocation
    /// ` migratetype=N gfp_flags=F`, read in one pass with what ``pageFields(_:_:into:)`` decides.
    /// False, with nothing decided, for any other layout or value (the general path reads or refuses those).
    private func fastPage(_ event: TraceEvent, _ l: inout ByteLine, into d: inout DecodedLine) -> Bool {
        var i = l.bodyStart
        // The page's address is read only for whether it is NULL (a failed allocation).
        guard l.expect("page=", at: &i), let pageIsNull = l.isNullPointer(at: &i), l.expect(" pfn=0x", at: &i), let pfn = l.hexValue(at: &i),
              l.expect(" order=", at: &i), let order = l.decimalValue(at: &i), order <= Page.maxOrder,
              pfn & UInt64((1 << order) - 1) == 0 else { return false }
        guard event == .mmPageAlloc else {
            d.address = pfn
            if readsKernelPages && event == .mmPageFree {
                d.a = order
                d.compacting = CompactionTargets.isCompactionTask(l.bytes)
            }
            return true
        }
        if pageIsNull { d.skip = true; return true }
        guard l.expect(" migratetype=", at: &i), let type = l.decimalValue(at: &i), type <= 16 else { return false }
        guard readsKernelPages || type == MigrateType.movable.rawValue else {
            (d.address, d.a, d.b, d.skip) = (pfn, order, type, true)
            return true
        }
        guard l.expect(" gfp_flags=", at: &i) else { return false }
        let flagsStart = i
        i = l.nextSpace(i)
        guard i > flagsStart, let f = flagCache[l.hash(flagsStart..<i)] else { return false }
        (d.address, d.a, d.b, d.flags) = (pfn, order, type, f)
        return true
    }

    /// A slab allocation's sizes must be ones SLUB can have.
    func checkSizes(_ event: TraceEvent, _ d: DecodedLine) throws(TraceInputError) {
        if event == .kmemCacheAlloc || event == .kmemCacheAllocNode {
            guard d.b >= 8 && d.b <= KmallocSizes.maxSize && d.a <= d.b else {
                throw TraceInputError(file: file, line: d.line, message: "expected 8 <= bytes_alloc <= 4194304 and bytes_req <= bytes_alloc, found \(d.a)/\(d.b)")
            }
        } else if !(d.b > 0 && d.b <= KmallocSizes.maxSize * 2) {
            throw TraceInputError(file: file, line: d.line, message: "expected 0 < bytes_alloc <= 8388608, found \(d.b)")
        }
    }

    /// The vmalloc kprobes' and tracepoints' fields.
    private mutating func vmallocFields(_ event: TraceEvent, _ l: inout ByteLine, into d: inout DecodedLine) throws(TraceInputError) {
        let line = d.line
        switch event {
        case .kpVmalloc:
            d.a = try l.count("size", file: file, line: line)
            d.b = try l.count("align", file: file, line: line)
            d.flags = GFPFlags(rawValue: UInt32(truncatingIfNeeded: try l.number("gfp", file: file, line: line)))
            site(&l, into: &d, "caller", "call_site")
        case .kpAllocVmapArea:
            d.a = try l.count("size", file: file, line: line)
            d.b = try l.count("align", file: file, line: line)
        case .allocVmapArea:
            // 6.2+: `va_start: %lu size=%lu align=%lu vstart=0x%lx vend=0x%lx failed=%d`.
            var i = l.bodyStart
            guard l.expect("va_start: ", at: &i), let start = l.number(i..<l.nextSpace(i)) else { throw l.fail(file, line, "va_start: <decimal>") }
            d.address = start
            d.a = try l.count("size", file: file, line: line)
            d.b = try l.count("align", file: file, line: line)
            if let r = l.field("failed") { d.failed = l.number(r) != 0 }
        case .freeVmapAreaNoflush, .kpFreeVmapAreaNoflush:
            d.address = try l.number("va_start", file: file, line: line)
        case .kpVmallocRet:
            d.address = try l.number("ret", file: file, line: line)
        case .kpVunmapCore:
            d.address = try l.number("addr", file: file, line: line)
            if let r = l.field("deallocate_pages"), l.number(r) == 0 { d.skip = true }
        default:
            break
        }
    }

    /// The kmem allocation events as the kernel prints them, `call_site=S ptr=P bytes_req=N
    /// bytes_alloc=N gfp_flags=F ...`, read in one pass. False, with nothing decided, for any other
    /// layout (a module suffix on the call site, another kernel's fields); the general path reads those.
    private mutating func fastAllocation(_ l: inout ByteLine, into d: inout DecodedLine) -> Bool {
        var i = l.bodyStart
        guard l.expect("call_site=", at: &i) else { return false }
        let siteStart = i
        i = l.nextSpace(i)
        let siteEnd = i
        guard siteEnd > siteStart, l.expect(" ptr=", at: &i), let ptr = l.hexValue(at: &i),
              l.expect(" bytes_req=", at: &i), let req = l.decimalValue(at: &i),
              l.expect(" bytes_alloc=", at: &i), let alloc = l.decimalValue(at: &i),
              l.expect(" gfp_flags=", at: &i) else { return false }
        let flagsStart = i
        i = l.nextSpace(i)
        guard i > flagsStart, let f = flagCache[l.hash(flagsStart..<i)] else { return false }
        d.setSite(siteStart..<siteEnd, in: l)
        (d.address, d.a, d.b, d.flags) = (ptr, req, alloc, f)
        return true
    }

    /// `kfree` and `kmem_cache_free` as the kernel prints them, `call_site=S ptr=P ...`, in one pass.
    private func fastFree(_ l: inout ByteLine, into d: inout DecodedLine) -> Bool {
        var i = l.bodyStart
        guard l.expect("call_site=", at: &i) else { return false }
        let siteStart = i
        i = l.nextSpace(i)
        let siteEnd = i
        guard siteEnd > siteStart, l.expect(" ptr=", at: &i), let ptr = l.hexValue(at: &i) else { return false }
        d.setSite(siteStart..<siteEnd, in: l)
        d.address = ptr
        // kmem_cache_free's `name=` follows the pointer (6.1 and later): read here, once.
        if l.expect(" name=", at: &i) {
            let end = l.nextSpace(i)
            if end > i {
                d.nameHash = l.hash(i..<end)
                (d.nameStart, d.nameEnd) = (Int32(i), Int32(end))
            }
        }
        return true
    }

    private func site(_ l: inout ByteLine, into d: inout DecodedLine, _ key: StaticString, _ otherKey: StaticString) {
        guard let r = l.field(key) ?? l.field(otherKey) else { return }
        d.setSite(r, in: l)
    }

    private mutating func flags(_ l: inout ByteLine, _ key: StaticString, line: Int) throws(TraceInputError) -> GFPFlags {
        guard let r = l.field(key) else { throw l.fail(file, line, "\(key)=") }
        let h = l.hash(r)
        if let f = flagCache[h] { return f }
        do {
            let f = try GFPFlags(parsing: l.text(r), kernel: kernel)
            flagCache.updateValue(f, forKey: h)
            return f
        } catch {
            throw TraceInputError(file: file, line: line, message: "expected GFP flags for \(key)=, found unknown \"\(error.unknownPart)\"")
        }
    }
}
