import HeapModel

/// Reads trace-cmd's trace.dat (file versions 6 and 7) natively and prints its events as the
/// kernel's `/sys/kernel/tracing/trace` file prints them, so that everything that reads ftrace
/// text reads a trace.dat too.
///
/// Opening reads the metadata (the initial format, the options, the header page and event
/// formats, kallsyms, printk formats, saved command lines, and where each CPU's ring-buffer data
/// is); a truncated or malformed file fails here with a ``TraceInputError``. ``text(blockSize:_:)``
/// then decodes the CPUs' pages, merges their events by timestamp (the lower CPU first on a tie,
/// as the kernel's iterator does), and prints each as a line: the events memtop reads with their
/// kernel print format (`%pS` call sites from kallsyms, GFP flags by name for the kernel the
/// uname option names), the others as `name: field=value ...`, and missed events as
/// `CPU:N [LOST M EVENTS]` (1 when the page does not store the count).
///
/// ```swift
/// let reader = try TraceDatReader(path: "trace.dat")
/// try reader.text { lines in fwrite(lines.baseAddress, 1, lines.count, stdout); return true }
/// ```
///
/// # Invariants
/// Nothing changes after `init`; ``text(blockSize:_:)`` keeps its state in locals. That is why the
/// reader can be `@unchecked Sendable` and run on a producer thread.
public final class TraceDatReader: @unchecked Sendable {
    /// The file as the user named it (messages use it).
    public let name: String
    private let file: MappedFile
    let metadata: TraceDatMetadata

    /// The file version, 6 or 7.
    public var version: Int { metadata.header.version }
    /// Version 7's compression (`zstd`, `zlib`), nil when uncompressed.
    public var compression: String? { metadata.header.compression?.name }
    /// The uname option, `Linux (none) 6.1.0-56-amd64 x86_64`.
    public var uname: String? { metadata.uname }
    /// The kernel whose GFP flag names the text uses (from the uname option).
    public var kernel: KernelVersion { EventPrinter.kernel(release: metadata.release) }
    /// The number of CPUs with ring-buffer data.
    public var cpus: Int { metadata.cpus.count }
    /// The events the file has formats for, `system:name`.
    public var events: [String] { metadata.formats.map { "\($0.system):\($0.name)" } }

    /// Opens `path` and reads its metadata.
    /// - Parameters:
    ///   - path: The trace.dat to map (a decompressed copy, for a compressed one).
    ///   - name: How messages name the file (default: `path`), e.g. the `.dat.xz` the user gave.
    /// - Throws: ``TraceInputError`` naming the file and what was expected, for a file that is not a
    ///   trace.dat of version 6 or 7, or is truncated or malformed before its events.
    /// - Complexity: O(n log n) in the kallsyms lines; the events are not read.
    public init(path: String, name: String? = nil) throws(TraceInputError) {
        self.name = name ?? path
        file = try MappedFile.map(path: path, name: self.name)
        let header = try TraceDatHeader(file.bytes(bigEndian: false, file: self.name))
        let bytes = file.bytes(bigEndian: header.bigEndian, file: self.name)
        metadata = header.version == 6 ? try .version6(bytes, header: header) : try .version7(bytes, header: header)
        guard metadata.page != nil || metadata.latencyText != nil else {
            throw TraceInputError(file: self.name, line: nil, message: "expected a header_page format, found none")
        }
    }

    /// Whether a file starts like a trace.dat.
    /// - Parameter prefix: The file's first bytes (at least ``magicLength`` of them to match).
    /// - Returns: true when they are the magic `0x17 0x08 0x44 "tracing"`.
    public static func hasMagic(_ prefix: UnsafeRawBufferPointer) -> Bool { TraceDatHeader.hasMagic(prefix) }

    /// The number of bytes ``hasMagic(_:)`` needs.
    public static var magicLength: Int { TraceDatHeader.magic.count }

    /// The events memtop reads, printed with their kernel print formats.
    static let memtopEvents = Set(TraceEvent.allCases.map(\.name))

    /// Produces the whole text, in blocks of whole lines.
    /// - Parameters:
    ///   - blockSize: About how many bytes each block holds (lines are never split).
    ///   - body: Gets each block (newlines included); returns false to stop early.
    /// - Throws: ``TraceInputError`` for a corrupt ring-buffer page or chunk (the lines before it
    ///   are delivered first), or what `body` throws.
    /// - Complexity: O(events × CPUs).
    public func text(blockSize: Int = 1 << 18, _ body: (UnsafeRawBufferPointer) throws(TraceInputError) -> Bool) throws(TraceInputError) {
        var out = TextBuffer(capacity: blockSize + 65536)
        appendHeader(into: &out)
        if let latency = metadata.latencyText {
            out.append(UnsafeRawBufferPointer(start: file.base + latency.lowerBound, count: latency.count))
            _ = try body(out.bytes)
            return
        }
        var streams: [CPUStream] = []
        let bytes = file.bytes(bigEndian: metadata.header.bigEndian, file: name)
        guard let layout = metadata.page else { return }
        for c in metadata.cpus.sorted(by: { $0.cpu < $1.cpu }) where c.size > 0 {
            streams.append(try CPUStream(c, file: bytes, layout: layout, pageSize: metadata.header.pageSize,
                                         compression: metadata.cpuDataCompressed ? metadata.header.compression : nil))
        }
        var printer = EventPrinter(metadata, memtopEvents: TraceDatReader.memtopEvents)
        var failure: TraceInputError?
        do throws(TraceInputError) {
            guard try merge(&streams, &printer, &out, blockSize, body) else { return }
        } catch {
            failure = error
        }
        for s in streams where s.lost > 0 { appendLost(cpu: s.cpu, s.lost, into: &out) }
        try checkIntact()
        if out.count > 0 { _ = try body(out.bytes) }
        if let failure { throw failure }
    }

    /// Throws when the file was truncated while mapped (what was read past its end was zeros).
    private func checkIntact() throws(TraceInputError) {
        if file.truncated { throw TraceInputError.truncated(name) }
    }

    /// Prints events in timestamp order until every stream ends; false when `body` said stop.
    private func merge(_ streams: inout [CPUStream], _ printer: inout EventPrinter, _ out: inout TextBuffer, _ blockSize: Int,
                       _ body: (UnsafeRawBufferPointer) throws(TraceInputError) -> Bool) throws(TraceInputError) -> Bool {
        var live = [Bool](repeating: false, count: streams.count)
        for i in streams.indices { live[i] = try streams[i].next() }
        while true {
            var best = -1, bestTime = UInt64.max
            for i in streams.indices where live[i] && (best < 0 || streams[i].timestamp < bestTime) {
                best = i
                bestTime = streams[i].timestamp
            }
            guard best >= 0 else { return true }
            if streams[best].lost > 0 {
                appendLost(cpu: streams[best].cpu, streams[best].lost, into: &out)
                streams[best].lost = 0
            }
            printer.print(cpu: streams[best].cpu, timestamp: bestTime, record: streams[best].record, length: streams[best].length, into: &out)
            if out.count >= blockSize {
                try checkIntact()
                guard try body(out.bytes) else { return false }
                out.removeAll()
            }
            live[best] = try streams[best].next()
        }
    }

    /// `CPU:N [LOST M EVENTS]`, as the kernel prints a ring buffer's loss.
    private func appendLost(cpu: Int, _ count: Int, into out: inout TextBuffer) {
        out.append("CPU:")
        out.appendDecimal(UInt64(cpu))
        out.append(" [LOST ")
        out.appendDecimal(UInt64(count))
        out.append(" EVENTS]\n")
    }

    /// The kernel's 12 header lines for the nop tracer (so line numbers match its `trace` file), the
    /// entries line saying what the file is instead of counts it does not store.
    private func appendHeader(into out: inout TextBuffer) {
        let what = "trace.dat version \(version)" + (compression.map { " (\($0))" } ?? "")
            + (metadata.release.map { ", Linux \($0)" } ?? "") + ", clock \(metadata.clock)"
        out.append(Array("""
            # tracer: nop
            #
            # \(what)   #P:\(max(metadata.cpuCount, metadata.cpus.count))
            #
            #                                _-----=> irqs-off/BH-disabled
            #                               / _----=> need-resched
            #                              | / _---=> hardirq/softirq
            #                              || / _--=> preempt-depth
            #                              ||| / _-=> migrate-disable
            #                              |||| /     delay
            #           TASK-PID     CPU#  |||||  TIMESTAMP  FUNCTION
            #              | |         |   |||||     |         |

            """.utf8))
    }
}
