import CZlib
import CZstd

extension DatFixture {
    /// A version 7 file: sections (compressed unless `.none`), an options section pointing at
    /// them, and the flyrecord section with each CPU's pages in chunks of `chunkPages`.
    func version7(_ compression: Compression, chunkPages: Int = 2) -> [UInt8] {
        let (name, version) = compression == .zstd ? ("zstd", "1.5.4") : compression == .zlib ? ("zlib", "1.2.13") : ("none", "")
        var out = DatFixture.magic("7") + Array(name.utf8) + [0] + Array(version.utf8) + [0]
        let firstOptionsAt = out.count
        out += DatFixture.le(0, 8)
        var offsets: [(UInt16, Int)] = []
        let payloads: [(UInt16, [UInt8])] = [(16, headerInfo()), (17, DatFixture.le(0, 4)), (18, eventSystems()),
                                              (19, kallsymsBlock), (20, DatFixture.le(0, 4)), (21, cmdlinesBlock)]
        for (id, payload) in payloads {
            offsets.append((id, out.count))
            out += DatFixture.section(id, payload, compression)
        }
        let flyrecordAt = out.count
        out += DatFixture.le(3, 2) + DatFixture.le(compression == .none ? 0 : 1, 2) + DatFixture.le(0, 4) + DatFixture.le(0, 8)
        DatFixture.align(&out)
        var table: [UInt8] = []
        for (i, pages) in cpus.enumerated() {
            let at = out.count
            let data = DatFixture.cpuData(pages, compression, chunkPages)
            out += data
            table += DatFixture.le(UInt64(i), 4) + DatFixture.le(UInt64(at), 8) + DatFixture.le(UInt64(compression == .none ? data.count : data.count - 4), 8)
        }
        let optionsAt = out.count
        var options = offsets.flatMap { DatFixture.option($0.0, DatFixture.le(UInt64($0.1), 8)) }
        options += DatFixture.option(5, Array(uname.utf8) + [0]) + DatFixture.option(8, DatFixture.le(UInt64(cpus.count), 4))
        options += DatFixture.option(3, DatFixture.le(UInt64(flyrecordAt), 8) + [0] + Array(clock.utf8) + [0]
            + DatFixture.le(UInt64(DatFixture.pageSize), 4) + DatFixture.le(UInt64(cpus.count), 4) + table)
        options += DatFixture.option(0, DatFixture.le(0, 8))
        out += DatFixture.le(0, 2) + DatFixture.le(0, 2) + DatFixture.le(0, 4) + DatFixture.le(UInt64(options.count), 8) + options
        out.replaceSubrange(firstOptionsAt..<(firstOptionsAt + 8), with: DatFixture.le(UInt64(optionsAt), 8))
        return out
    }

    /// A section: header, then the payload (as `<compressed size><size><stream>` when compressed).
    private static func section(_ id: UInt16, _ payload: [UInt8], _ compression: Compression) -> [UInt8] {
        let body = compression == .none ? payload : block(payload, compression)
        return le(UInt64(id), 2) + le(compression == .none ? 0 : 1, 2) + le(0, 4) + le(UInt64(body.count), 8) + body
    }

    /// One compressed block as trace-cmd writes it.
    static func block(_ data: [UInt8], _ compression: Compression) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: data.count + 1024)
        var n = 0
        data.withUnsafeBytes { src in
            out.withUnsafeMutableBytes { dst in
                if compression == .zstd {
                    n = ZSTD_compress(dst.baseAddress, dst.count, src.baseAddress, src.count, 3)
                } else {
                    var length = uLongf(dst.count)
                    _ = compress2(dst.baseAddress!.assumingMemoryBound(to: Bytef.self), &length,
                                  src.baseAddress!.assumingMemoryBound(to: Bytef.self), uLong(src.count), 6)
                    n = Int(length)
                }
            }
        }
        return le(UInt64(n), 4) + le(UInt64(data.count), 4) + Array(out[0..<n])
    }

    /// A CPU's pages: plain, or a chunk count and chunks of `chunkPages` pages.
    private static func cpuData(_ pages: [Page], _ compression: Compression, _ chunkPages: Int) -> [UInt8] {
        let raw = pages.map(encode)
        guard compression != .none else { return raw.flatMap { $0 } }
        let chunks = stride(from: 0, to: raw.count, by: chunkPages).map { raw[$0..<min($0 + chunkPages, raw.count)].flatMap { $0 } }
        return le(UInt64(chunks.count), 4) + chunks.flatMap { block($0, compression) }
    }
}
