import HeapModel

/// Prints ring-buffer records as the kernel's `/sys/kernel/tracing/trace` prints them:
/// `<comm>-<pid> [<cpu>] <flags> <secs>.<usecs>: <event>: <fields>`.
///
/// The context columns follow `trace_print_context` (`%16s-%-7d [%03d] `, the irqs-off,
/// need-resched, hardirq/softirq, preempt-depth and migrate-disable flags, the time rounded to
/// microseconds); the event part follows the event's print format (``EventProgram``).
///
/// A value type, so that the reading loop owns it and its caches without dynamic exclusivity checks.
struct EventPrinter {
    /// Programs by event id, compiled when an event of the id is first met.
    private let programs: ProgramTable
    /// The stored formats, and by event id the index of its format (-1 for none).
    private let formats: [StoredFormat]
    private let formatIndex: [Int32]
    private let memtopEvents: Set<String>
    let kallsyms: Kallsyms
    let kernel: KernelVersion
    let bigEndian: Bool
    /// Hex digits of a pointer (twice the kernel's long size).
    let pointerDigits: Int
    /// The trace clock counts nanoseconds (the others print raw counts).
    let clockInNanoseconds: Bool
    /// 6.13+: flag 0x02 is need-resched-lazy rather than irqs-not-supported.
    let lazyResched: Bool
    private let cmdlines: [Int32: [UInt8]]
    /// Offsets of the common fields (they are the same in every format).
    private let typeOffset: Int, flagsOffset: Int, preemptOffset: Int, pidOffset: Int
    let arena = ByteArena()
    var contextCache = PointerMap<UnsafeRawBufferPointer>(filler: UnsafeRawBufferPointer(start: nil, count: 0))
    var symbolCache = PointerMap<UnsafeRawBufferPointer>(filler: UnsafeRawBufferPointer(start: nil, count: 0))
    var nameCache = PointerMap<UnsafeRawBufferPointer>(filler: UnsafeRawBufferPointer(start: nil, count: 0))
    var gfpCache = PointerMap<UnsafeRawBufferPointer>(filler: UnsafeRawBufferPointer(start: nil, count: 0))
    var flagCache: [FlagKey: UnsafeRawBufferPointer] = [:]
    /// Entries a cache keeps at most, so that a trace of endless distinct values (a corrupt one)
    /// cannot grow memory without bound; past it, text is made per event.
    static let cacheLimit = 1 << 18
    /// Formats met that could not be compiled, with why (their events are printed field by field).
    private(set) var fallbacks: [(event: String, reason: String)] = []

    /// A printer for the events of `metadata`; `memtopEvents` are printed with their kernel print
    /// format, the others field by field.
    init(_ metadata: TraceDatMetadata, memtopEvents: Set<String>) {
        let maxID = metadata.formats.map(\.id).filter { $0 >= 0 && $0 < 1 << 16 }.max() ?? 0
        var index = [Int32](repeating: -1, count: maxID + 1)
        for (i, f) in metadata.formats.enumerated() where f.id >= 0 && f.id <= maxID { index[f.id] = Int32(i) }
        programs = ProgramTable(count: maxID + 1)
        formats = metadata.formats
        formatIndex = index
        self.memtopEvents = memtopEvents
        kallsyms = metadata.kallsyms
        kernel = EventPrinter.kernel(release: metadata.release)
        bigEndian = metadata.header.bigEndian
        pointerDigits = 2 * (metadata.page?.commitSize ?? 8)
        clockInNanoseconds = ["local", "global", "uptime", "perf", "mono", "mono_raw", "boot", "tai"].contains(metadata.clock)
        lazyResched = EventPrinter.release(metadata.release, atLeast: (6, 13))
        cmdlines = metadata.cmdlines.mapValues { Array($0.utf8) }
        // The common fields are the same in every format: the first one that parses tells their offsets.
        let common = metadata.formats.lazy.compactMap { try? $0.parse() }.first
        typeOffset = common?.field("common_type")?.offset ?? 0
        flagsOffset = common?.field("common_flags")?.offset ?? 2
        preemptOffset = common?.field("common_preempt_count")?.offset ?? 3
        pidOffset = common?.field("common_pid")?.offset ?? 4
    }

    /// The GFP name table for a release: 6.1's up to 6.2 (it has `__GFP_ATOMIC`), the newer one after.
    static func kernel(release: String?) -> KernelVersion {
        guard let release else { return .defaultVersion }
        return EventPrinter.release(release, atLeast: (6, 3)) ? .v6_18 : .v6_1
    }

    /// Whether `release` (`6.1.0-56-amd64`) is at least `major.minor`.
    static func release(_ release: String?, atLeast version: (Int, Int)) -> Bool {
        guard let release else { return false }
        let parts = release.split { !$0.isNumber }.prefix(2).compactMap { Int($0) }
        guard parts.count == 2 else { return false }
        return (parts[0], parts[1]) >= version
    }

    /// Prints one record (its data after the ring-buffer event header) with its CPU and time.
    mutating func print(cpu: Int, timestamp: UInt64, record: UnsafeRawPointer, length: Int, into out: inout TextBuffer) {
        out.reserve(512)
        guard length >= pidOffset + 4 else {
            context(cpu: cpu, pid: 0, flags: 0, preempt: 0, timestamp: timestamp, into: &out)
            out.append("<short record>\n")
            return
        }
        let r = RecordBytes(base: record, count: length, bigEndian: bigEndian)
        let pid = Int32(bitPattern: r.u32(pidOffset))
        context(cpu: cpu, pid: pid, flags: r.u8(flagsOffset), preempt: r.u8(preemptOffset), timestamp: timestamp, into: &out)
        let id = Int(r.u16(typeOffset))
        guard let program = id < programs.count ? programs.slots[id] ?? compile(id) : nil else {
            out.append("unknown_event: type=")
            out.appendDecimal(UInt64(id))
            out.append(10)
            return
        }
        // The table keeps the program alive: no reference counting per event.
        program._withUnsafeGuaranteedRef { p in
            out.append(p.prefix)
            run(p, r, into: &out)
        }
        out.append(10)
    }

    /// Compiles the program for event `id`, met for the first time (nil for an id without a format).
    private mutating func compile(_ id: Int) -> Unmanaged<EventProgram>? {
        guard formatIndex[id] >= 0 else { return nil }
        let stored = formats[Int(formatIndex[id])]
        let p: EventProgram
        do throws(EventFormatError) {
            p = EventProgram(try stored.parse(), kernelPrintFormat: memtopEvents.contains(stored.name))
            if let reason = p.fallbackReason { fallbacks.append((stored.name, reason)) }
        } catch {
            // Its fields are unknown: the line names the event and nothing more.
            p = EventProgram(EventFormat(system: stored.system, name: stored.name, id: id), kernelPrintFormat: false)
            fallbacks.append((stored.name, error.message))
        }
        return programs.store(p, at: id)
    }

    /// `%16s-%-7d [%03d] FLAGS %5lu.%06lu: `.
    private mutating func context(cpu: Int, pid: Int32, flags: UInt8, preempt: UInt8, timestamp: UInt64, into out: inout TextBuffer) {
        let key = UInt64(UInt32(bitPattern: pid)) << 20 | UInt64(cpu & 0xfffff)
        if let cached = contextCache[key] {
            out.append(cached)
        } else {
            var b = TextBuffer(capacity: 64)
            let comm: [UInt8] = pid == 0 ? Array("<idle>".utf8) : pid < 0 ? Array("<XXX>".utf8) : cmdlines[pid] ?? Array("<...>".utf8)
            b.pad(32, 16 - comm.count)
            b.append(comm)
            b.append(45)   // -
            let before = b.count
            if pid < 0 { b.append(45) }
            b.appendDecimal(UInt64(abs(Int64(pid))))
            b.pad(32, 7 - (b.count - before))
            b.append(" [")
            b.appendDecimal(UInt64(cpu), minDigits: 3)
            b.append("] ")
            if contextCache.count < EventPrinter.cacheLimit {
                contextCache.updateValue(arena.store(b.bytes), forKey: key)
            }
            out.append(b.bytes)
        }
        appendFlags(flags, preempt, into: &out)
        if clockInNanoseconds {
            let us = (timestamp + 500) / 1000   // the kernel rounds to the nearest microsecond
            let seconds = us / 1_000_000
            var digits = 1, t = seconds
            while t >= 10 { t /= 10; digits += 1 }
            out.pad(32, 5 - digits)
            out.appendDecimal(seconds)
            out.append(46)
            out.appendDecimal(us % 1_000_000, minDigits: 6)
        } else {
            var digits = 1, t = timestamp
            while t >= 10 { t /= 10; digits += 1 }
            out.pad(32, 12 - digits)
            out.appendDecimal(timestamp)
        }
        out.append(": ")
    }

    /// The five latency columns, as `trace_print_lat_fmt` prints them, and a space.
    private func appendFlags(_ f: UInt8, _ preempt: UInt8, into out: inout TextBuffer) {
        let bhOff = f & 0x80 != 0, irqsOff = f & 0x01 != 0
        out.append(irqsOff && bhOff ? 68 : irqsOff ? 100 : bhOff ? 98 : (!lazyResched && f & 0x02 != 0) ? 88 : 46)   // D d b X .
        let need = f & 0x04 != 0, preemptNeed = f & 0x20 != 0, lazy = lazyResched && f & 0x02 != 0
        let resched: UInt8
        switch (need, lazy, preemptNeed) {
        case (true, true, true): resched = 66          // B
        case (true, false, true): resched = 78         // N
        case (false, true, true): resched = 76         // L
        case (true, true, false): resched = 98         // b
        case (true, false, false): resched = 110       // n
        case (false, false, true): resched = 112       // p
        case (false, true, false): resched = 108       // l
        case (false, false, false): resched = 46
        }
        out.append(resched)
        let nmi = f & 0x40 != 0, hard = f & 0x08 != 0, soft = f & 0x10 != 0
        out.append(nmi && hard ? 90 : nmi ? 122 : hard && soft ? 72 : hard ? 104 : soft ? 115 : 46)   // Z z H h s .
        let depth = preempt & 0xf, migrate = preempt >> 4
        out.append(depth == 0 ? 46 : depth < 10 ? 48 + depth : 87 + depth)
        out.append(migrate == 0 ? 46 : migrate < 10 ? 48 + migrate : 87 + migrate)
        out.append(32)
    }
}
