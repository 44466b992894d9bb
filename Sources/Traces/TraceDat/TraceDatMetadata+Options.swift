extension TraceDatMetadata {
    /// What an option told about the file's layout that the caller must follow (version 7).
    struct Pointers {
        /// Metadata sections by id (`headerInfo` ... `cmdlines`).
        var sections: [UInt16: Int] = [:]
        /// The top buffer's flyrecord section, and its CPUs.
        var topBuffer: (section: Int, cpus: [CPUData])?
        /// The top buffer's latency text section.
        var textBuffer: Int?
    }

    /// Applies one option. Time offsets (DATE, OFFSET, TSC2NSEC, TIME_SHIFT) are not applied: the
    /// text is what the kernel's own `trace` file prints, raw timestamps included.
    mutating func apply(option id: UInt16, _ data: DatBytes, to pointers: inout Pointers) throws(TraceInputError) {
        guard let option = TraceDatOption(rawValue: id) else { return }   // unknown options are skippable
        switch option {
        case .uname:
            uname = try data.cString(at: 0, "the UNAME text").text
        case .traceClock:
            // The trace_clock file: `local [global] counter ...`, the bracketed one in use.
            let text = data.text(at: 0, count: data.count)
            if let open = text.firstIndex(of: "["), let close = text[open...].firstIndex(of: "]") {
                clock = String(text[text.index(after: open)..<close])
            }
        case .cpuCount:
            cpuCount = Int(try data.u32(at: 0, "the CPU count"))
        case .buffer, .bufferText:
            try buffer(option, data, &pointers)
        case .headerInfo, .ftraceEvents, .eventFormats, .kallsyms, .printk, .cmdlines:
            let offset = try data.u64(at: 0, "the offset of the \(option) section")
            guard offset < UInt64(Int.max) else { throw data.corrupt("a section offset of \(offset)") }
            pointers.sections[id] = Int(offset)
        default:
            break
        }
    }

    /// A BUFFER option (`offset, name, clock[, page size], cpus, {cpu, offset, size}...`) or a
    /// BUFFER_TEXT one (`offset, name, clock`). Version 6 stores only `offset, name` (instances).
    private mutating func buffer(_ option: TraceDatOption, _ data: DatBytes, _ pointers: inout Pointers) throws(TraceInputError) {
        var c = DatCursor(data)
        let offset = try c.u64("the buffer's section offset")
        let name = try c.cString("the buffer's name")
        // Instances other than the top buffer are not what the kernel's `trace` file shows.
        guard name.isEmpty, header.version >= 7 else { return }
        clock = try c.cString("the buffer's clock")
        guard offset < UInt64(Int.max) else { throw data.corrupt("a buffer offset of \(offset)") }
        if option == .bufferText {
            pointers.textBuffer = Int(offset)
            return
        }
        // trace-cmd 3.x writes the page size before the CPU count; the man page does not: tell by the length.
        let left = data.count - c.position
        let withoutPageSize = Int(try data.u32(at: c.position, "the buffer's CPU count"))
        if left != 4 + 20 * withoutPageSize {
            let pageSize = Int(try c.u32("the buffer's page size"))
            guard pageSize == header.pageSize else {
                throw data.corrupt("expected the buffer's page size to be \(header.pageSize), found \(pageSize)")
            }
        }
        let count = Int(try c.u32("the buffer's CPU count"))
        guard count <= 65536, data.count - c.position >= 20 * count else {
            throw data.truncated("\(count) CPU entries of 20 bytes", at: c.position)
        }
        var cpus: [CPUData] = []
        for _ in 0..<count {
            let cpu = Int(try c.u32("a CPU id"))
            let at = try c.u64("a CPU's data offset"), size = try c.u64("a CPU's data size")
            guard at < UInt64(Int.max), size < UInt64(Int.max) else { throw data.corrupt("CPU \(cpu)'s data at \(at), \(size) bytes") }
            cpus.append(CPUData(cpu: cpu, offset: Int(at), size: Int(size)))
        }
        pointers.topBuffer = (Int(offset), cpus)
    }

    /// Throws unless every CPU's data lies inside the file (a cut-short file fails here, before any event).
    func checkCPUData(fileSize: Int, file: String) throws(TraceInputError) {
        for c in cpus where c.size > 0 && (c.offset > fileSize || c.size > fileSize - c.offset) {
            throw TraceInputError(file: file, line: nil, message: "expected \(c.size) bytes of CPU \(c.cpu)'s ring-buffer data at offset "
                + "\(c.offset), found a file of \(fileSize) bytes: truncated trace.dat")
        }
    }
}
