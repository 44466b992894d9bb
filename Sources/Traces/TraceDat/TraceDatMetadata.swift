/// Everything a trace.dat says about its trace, read before the events: the event formats,
/// kallsyms, printk formats, saved command lines, the options, and where each CPU's data is.
struct TraceDatMetadata: Sendable {
    let header: TraceDatHeader
    var page: PageLayout?
    /// Every event format, read as far as its name and id.
    var formats: [StoredFormat] = []
    var kallsyms = Kallsyms()
    /// trace_printk format strings by address.
    var printk: [UInt64: String] = [:]
    /// Task names by pid, from `saved_cmdlines`.
    var cmdlines: [Int32: String] = [:]
    /// The UNAME option, `Linux (none) 6.1.0-56-amd64 x86_64`.
    var uname: String?
    /// The top buffer's trace clock (`global`, `local`, `counter`, ...).
    var clock = "local"
    /// The number of CPUs in the header or the CPUCOUNT option.
    var cpuCount = 0
    /// The top buffer's per-CPU data.
    var cpus: [CPUData] = []
    /// Version 7: the CPU data is in compressed chunks.
    var cpuDataCompressed = false
    /// A latency trace (`trace-cmd record` of a latency tracer): the text, where it is in the file.
    var latencyText: Range<Int>?

    init(header: TraceDatHeader) { self.header = header }

    /// The file's messages name it as the user did.
    func error(_ message: String, _ bytes: DatBytes) -> TraceInputError {
        TraceInputError(file: bytes.file, line: nil, message: message)
    }

    /// `header_page\0`, its size and text, then `header_event\0`, its size and text.
    mutating func readHeaderInfo(_ c: inout DatCursor) throws(TraceInputError) {
        try c.expect("header_page", "\"header_page\"")
        let pageTextSize = try c.size64("the header_page size")
        let pageText = try c.take(pageTextSize, place: "header_page", "header_page")
        try c.expect("header_event", "\"header_event\"")
        let eventTextSize = try c.size64("the header_event size")
        let eventText = try c.take(eventTextSize, place: "header_event", "header_event")
        do {
            page = try PageLayout(headerPage: pageText.text(at: 0, count: pageText.count),
                                  headerEvent: eventText.text(at: 0, count: eventText.count), pageSize: header.pageSize)
        } catch {
            throw c.bytes.corrupt(error.message)
        }
    }

    /// A count of format files, each a 64-bit size and the text.
    mutating func readFormats(_ c: inout DatCursor, system: String) throws(TraceInputError) {
        let count = try c.u32("the number of \(system) event formats")
        for i in 0..<count {
            let textSize = try c.size64("the size of \(system) event format \(i)")
            let text = try c.take(textSize, place: "an event format", "event format")
            do {
                formats.append(try StoredFormat(UnsafeRawBufferPointer(start: text.base, count: text.count), system: system))
            } catch {
                throw c.bytes.corrupt("event format \(i) of \(system): \(error.message)")
            }
        }
    }

    /// A count of systems, each a name and its formats.
    mutating func readEventSystems(_ c: inout DatCursor) throws(TraceInputError) {
        let systems = try c.u32("the number of event systems")
        for _ in 0..<systems {
            let name = try c.cString("an event system's name")
            try readFormats(&c, system: name)
        }
    }

    /// `/proc/kallsyms`, after its 32-bit size.
    mutating func readKallsyms(_ c: inout DatCursor) throws(TraceInputError) {
        let textSize = try c.size32("the kallsyms size")
        let text = try c.take(textSize, place: "kallsyms", "kallsyms")
        kallsyms = Kallsyms(parsing: UnsafeRawBufferPointer(start: text.base, count: text.count))
    }

    /// `printk_formats` (`0xADDR : "format"` lines), after its 32-bit size.
    mutating func readPrintk(_ c: inout DatCursor) throws(TraceInputError) {
        let textSize = try c.size32("the printk formats size")
        let text = try c.take(textSize, place: "printk formats", "printk formats")
        for line in text.text(at: 0, count: text.count).split(separator: "\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let address = UInt64(parts[0].trimmingSpaces.replacingPrefix("0x"), radix: 16) else { continue }
            var format = parts[1].trimmingSpaces
            if format.hasPrefix("\""), format.hasSuffix("\""), format.count >= 2 { format = format.dropFirst().dropLast() }
            printk[address] = String(format)
        }
    }

    /// `saved_cmdlines` (`PID COMM` lines), after its 64-bit size.
    mutating func readCmdlines(_ c: inout DatCursor) throws(TraceInputError) {
        let textSize = try c.size64("the saved command lines size")
        let text = try c.take(textSize, place: "saved command lines", "saved command lines")
        for line in text.text(at: 0, count: text.count).split(separator: "\n") {
            guard let space = line.firstIndex(of: " "), let pid = Int32(line[..<space]) else { continue }
            cmdlines[pid] = String(line[line.index(after: space)...])
        }
    }

    /// The kernel release in the UNAME option (`6.1.0-56-amd64`), if any.
    var release: String? {
        guard let uname else { return nil }
        let words = uname.split(separator: " ")
        return words.count >= 3 ? String(words[2]) : nil
    }
}
