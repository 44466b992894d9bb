extension TraceDatMetadata {
    /// A version 7 section header: id, flags (1 = compressed), description string id, size.
    struct Section {
        let id: UInt16
        let compressed: Bool
        /// The payload, decompressed when the section is (the blob keeps it alive).
        let payload: DatBytes
        let blob: DatBlob?
    }

    /// Reads a version 7 file: the options sections, chained from the header, point at every
    /// other section (trace-cmd.dat.v7(5)).
    /// - Throws: ``TraceInputError`` for a part that is missing, cut short or malformed.
    static func version7(_ file: DatBytes, header: TraceDatHeader) throws(TraceInputError) -> TraceDatMetadata {
        var m = TraceDatMetadata(header: header)
        var pointers = Pointers()
        var next = header.firstOptions
        var seen: Set<Int> = []
        while next != 0 {
            guard seen.insert(next).inserted else { throw file.corrupt("the options sections loop back to offset \(next)") }
            let options = try section(file, at: next, header: header, expected: 0, what: "an options section")
            next = try m.readOptions(options.payload, &pointers)
        }
        for option in [TraceDatOption.headerInfo, .ftraceEvents, .eventFormats, .kallsyms, .printk, .cmdlines] {
            guard let offset = pointers.sections[option.rawValue] else { continue }
            let s = try section(file, at: offset, header: header, expected: option.rawValue, what: "the \(option) section")
            var c = DatCursor(s.payload)
            try m.read(option, &c)
        }
        guard m.page != nil else { throw TraceInputError(file: file.file, line: nil, message: "expected a header info section (header_page), found none") }
        if let text = pointers.textBuffer {
            let s = try section(file, at: text, header: header, expected: TraceDatOption.bufferText.rawValue, what: "the latency text")
            m.latencyText = s.payload.base - file.base..<(s.payload.base - file.base + s.payload.count)
            if s.compressed { throw file.corrupt("a compressed latency text (not supported)") }
            return m
        }
        guard let top = pointers.topBuffer else {
            throw TraceInputError(file: file.file, line: nil, message: "expected a BUFFER option for the top trace buffer, found none")
        }
        let flyrecord = try sectionHeader(file, at: top.section, expected: TraceDatOption.buffer.rawValue, what: "the flyrecord section")
        m.cpuDataCompressed = flyrecord.compressed
        if flyrecord.compressed && header.compression == nil {
            throw file.corrupt("compressed ring-buffer data in a file whose header names no compression")
        }
        m.cpus = top.cpus
        if m.cpuCount == 0 { m.cpuCount = top.cpus.count }
        try m.checkCPUData(fileSize: file.count, file: file.file)
        return m
    }

    /// Reads a metadata section's payload (laid out as the same part of a version 6 file).
    private mutating func read(_ option: TraceDatOption, _ c: inout DatCursor) throws(TraceInputError) {
        switch option {
        case .headerInfo: try readHeaderInfo(&c)
        case .ftraceEvents: try readFormats(&c, system: "ftrace")
        case .eventFormats: try readEventSystems(&c)
        case .kallsyms: try readKallsyms(&c)
        case .printk: try readPrintk(&c)
        case .cmdlines: try readCmdlines(&c)
        default: break
        }
    }

    /// The options of one options section; returns the next section's offset (0 for none).
    private mutating func readOptions(_ payload: DatBytes, _ pointers: inout Pointers) throws(TraceInputError) -> Int {
        var c = DatCursor(payload)
        while true {
            let id = try c.u16("an option id")
            let size = try c.size32("the size of option \(id)")
            let data = try c.take(size, place: "option \(id)", "option \(id)")
            if id == TraceDatOption.done.rawValue {
                let next = try data.u64(at: 0, "the offset of the next options section")
                guard next < UInt64(Int.max) else { throw payload.corrupt("a next options offset of \(next)") }
                return Int(next)
            }
            try apply(option: id, data, to: &pointers)
        }
    }

    /// The header of the section at `offset`: id (must be `expected`), flags, and the payload range.
    static func sectionHeader(_ file: DatBytes, at offset: Int, expected: UInt16,
                              what: String) throws(TraceInputError) -> (compressed: Bool, start: Int, size: Int) {
        let id = try file.u16(at: offset, "the id of \(what) (at offset \(offset))")
        let flags = try file.u16(at: offset + 2, "the flags of \(what)")
        let size = try file.u64(at: offset + 8, "the size of \(what)")
        guard id == expected else { throw file.corrupt("expected \(what) (section id \(expected)) at offset \(offset), found section id \(id)") }
        try file.require(offset + 16, Int(min(size, UInt64(Int.max / 2))), "\(size) bytes of \(what)")
        return (flags & 1 != 0, offset + 16, Int(size))
    }

    /// The section at `offset`, its payload decompressed when it is compressed.
    static func section(_ file: DatBytes, at offset: Int, header: TraceDatHeader, expected: UInt16,
                        what: String) throws(TraceInputError) -> Section {
        let h = try sectionHeader(file, at: offset, expected: expected, what: what)
        let raw = try file.slice(at: h.start, count: h.size, place: "\(what) at offset \(offset)", "\(what)")
        guard h.compressed else { return Section(id: expected, compressed: false, payload: raw, blob: nil) }
        guard let compression = header.compression else { throw file.corrupt("\(what) is compressed but the header names no compression") }
        let (blob, _) = try compression.block(in: raw, at: 0, what: what)
        return Section(id: expected, compressed: true, payload: blob.bytes(bigEndian: file.bigEndian, file: file.file, place: what), blob: blob)
    }
}
