extension TraceDatMetadata {
    /// Reads a version 6 file: everything follows the initial format in a fixed order, then the
    /// CPU count, the options, and `flyrecord` with each CPU's offset and size (trace-cmd.dat.v6(5)).
    /// - Throws: ``TraceInputError`` for a part that is missing, cut short or malformed.
    static func version6(_ file: DatBytes, header: TraceDatHeader) throws(TraceInputError) -> TraceDatMetadata {
        var m = TraceDatMetadata(header: header)
        var c = DatCursor(file, at: header.end)
        try m.readHeaderInfo(&c)
        try m.readFormats(&c, system: "ftrace")
        try m.readEventSystems(&c)
        try m.readKallsyms(&c)
        try m.readPrintk(&c)
        try m.readCmdlines(&c)
        let cpus = Int(try c.u32("the CPU count"))
        guard cpus <= 65536 else { throw file.corrupt("expected a CPU count, found \(cpus)") }
        m.cpuCount = cpus
        var kind = try c.take(10, place: "the file", "\"options\", \"latency\" or \"flyrecord\"")
        var pointers = Pointers()
        if kind.matches(Array("options  ".utf8) + [0], at: 0) {
            while true {
                let id = try c.u16("an option id")
                if id == TraceDatOption.done.rawValue { break }
                let size = try c.size32("the size of option \(id)")
                let data = try c.take(size, place: "option \(id)", "option \(id)")
                try m.apply(option: id, data, to: &pointers)
            }
            kind = try c.take(10, place: "the file", "\"latency\" or \"flyrecord\"")
        }
        if kind.matches(Array("latency  ".utf8) + [0], at: 0) {
            m.latencyText = c.position..<file.count
            return m
        }
        guard kind.matches(Array("flyrecord".utf8) + [0], at: 0) else {
            throw file.corrupt("expected \"flyrecord\" or \"latency\" at byte \(c.position - 10), found other bytes")
        }
        for cpu in 0..<cpus {
            let offset = try c.u64("CPU \(cpu)'s data offset"), size = try c.u64("CPU \(cpu)'s data size")
            guard offset < UInt64(Int.max), size < UInt64(Int.max) else { throw file.corrupt("CPU \(cpu)'s data at \(offset), \(size) bytes") }
            m.cpus.append(CPUData(cpu: cpu, offset: Int(offset), size: Int(size)))
        }
        try m.checkCPUData(fileSize: file.count, file: file.file)
        return m
    }
}
