/// The initial format of a trace.dat (trace-cmd.dat.v6(5), trace-cmd.dat.v7(5)): magic, file
/// version, byte order, the recorder's long size and page size; in version 7 also the compression
/// and where the first options section is.
struct TraceDatHeader: Sendable {
    /// 6 or 7.
    let version: Int
    let bigEndian: Bool
    /// The recording machine's user-space long size (4 or 8); the kernel's is in the page header.
    let longSize: Int
    /// The ring buffer's page size, and the alignment of the CPU data.
    let pageSize: Int
    /// Version 7's compression, nil for `none` (and for version 6).
    let compression: DatCompression?
    /// Version 7: the offset of the first options section.
    let firstOptions: Int
    /// The offset just after the initial format (version 6 continues with `header_page` there).
    let end: Int

    /// The 10 bytes every trace.dat starts with: 0x17 0x08 0x44 `tracing`.
    static let magic: [UInt8] = [0x17, 0x08, 0x44] + Array("tracing".utf8)

    /// Whether `prefix` (the first bytes of a file) starts like a trace.dat.
    static func hasMagic(_ prefix: UnsafeRawBufferPointer) -> Bool {
        prefix.count >= magic.count && zip(prefix, magic).allSatisfy { $0 == $1 }
    }

    /// Reads the initial format from the start of the file.
    /// - Throws: ``TraceInputError`` for a file that is not a trace.dat of version 6 or 7, or is cut short.
    init(_ file: DatBytes) throws(TraceInputError) {
        guard file.matches(TraceDatHeader.magic, at: 0) else {
            throw TraceInputError(file: file.file, line: nil, message: "expected the trace.dat magic (0x17 0x08 0x44 \"tracing\"), found other bytes")
        }
        var c = DatCursor(file, at: TraceDatHeader.magic.count)
        let versionText = try c.cString("the file version")
        guard let version = Int(versionText), version == 6 || version == 7 else {
            throw TraceInputError(file: file.file, line: nil, message: "expected trace.dat file version 6 or 7, found \"\(versionText.prefix(20))\"")
        }
        try file.require(c.position, 6, "the byte order, long size and page size")
        let endian = file.base.load(fromByteOffset: c.position, as: UInt8.self)
        let longSize = Int(file.base.load(fromByteOffset: c.position + 1, as: UInt8.self))
        guard endian <= 1, longSize == 4 || longSize == 8 else {
            throw file.corrupt("expected byte order 0 or 1 and long size 4 or 8, found \(endian) and \(longSize)")
        }
        c.position += 2
        let ordered = DatBytes(base: file.base, count: file.count, bigEndian: endian == 1, file: file.file, place: file.place)
        c = DatCursor(ordered, at: c.position)
        let pageSize = Int(try c.u32("the page size"))
        guard pageSize >= 256, pageSize <= 1 << 24, pageSize & (pageSize - 1) == 0 else {
            throw ordered.corrupt("expected a page size that is a power of two, found \(pageSize)")
        }
        var compression: DatCompression?
        var firstOptions = 0
        if version == 7 {
            let name = try c.cString("the compression name")
            let algorithmVersion = try c.cString("the compression version")
            if name != "none" {
                guard let known = DatCompression(name: name) else {
                    throw TraceInputError(file: file.file, line: nil,
                                          message: "expected zstd, zlib or none compression, found \"\(name.prefix(20))\" \(algorithmVersion.prefix(20))")
                }
                compression = known
            }
            let at = c.position
            let offset = try c.u64("the offset of the first options section")
            guard offset < UInt64(file.count) else {
                throw ordered.truncated("the first options section (at offset \(offset), from byte \(at))", at: Int(min(offset, UInt64(Int.max))))
            }
            firstOptions = Int(offset)
        }
        (self.version, bigEndian, self.longSize, self.pageSize) = (version, endian == 1, longSize, pageSize)
        (self.compression, self.firstOptions, end) = (compression, firstOptions, c.position)
    }
}
