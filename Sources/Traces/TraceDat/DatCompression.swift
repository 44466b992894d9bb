import CZlib
import CZstd

/// The compression of a version 7 trace.dat, as its header names it: `zstd` (trace-cmd's default)
/// or `zlib`. Each compressed section, and each chunk of ring-buffer pages, is one complete stream
/// (a zstd frame, or a zlib stream as `compress2` writes it) preceded by its two sizes.
enum DatCompression: Sendable {
    case zstd
    case zlib

    /// The algorithm named in the file's header, or nil for one memtop cannot read.
    init?(name: String) {
        switch name {
        case "zstd": self = .zstd
        case "zlib": self = .zlib
        default: return nil
        }
    }

    var name: String { self == .zstd ? "zstd" : "zlib" }

    /// Decompresses `source` into `blob`, which must hold the stream's stated uncompressed size.
    /// - Returns: false when the stream is corrupt or does not decompress to exactly `expected` bytes.
    func decompress(_ source: UnsafeRawBufferPointer, into blob: DatBlob, expected: Int) -> Bool {
        guard let src = source.baseAddress, expected <= blob.capacity else { return false }
        switch self {
        case .zstd:
            // SAFETY: the source range is inside the mapped file or a blob; the destination holds
            // blob.capacity bytes; zstd writes at most that many.
            let n = ZSTD_decompress(blob.base, blob.capacity, src, source.count)
            guard ZSTD_isError(n) == 0, n == expected else { return false }
            blob.count = n
        case .zlib:
            var length = uLongf(blob.capacity)
            // SAFETY: as above; uncompress writes at most `length` bytes and returns the count in it.
            let status = uncompress(blob.base.assumingMemoryBound(to: Bytef.self), &length,
                                    src.assumingMemoryBound(to: Bytef.self), uLong(source.count))
            guard status == Z_OK, Int(length) == expected else { return false }
            blob.count = Int(length)
        }
        return true
    }

    /// Decompresses one block laid out as trace-cmd writes it, `<u32 compressed size><u32
    /// uncompressed size><stream>`, starting at `offset` of `bytes`.
    /// - Returns: the data and the offset after the block.
    /// - Throws: ``TraceInputError`` for a block that does not fit or does not decompress.
    func block(in bytes: DatBytes, at offset: Int, what: String) throws(TraceInputError) -> (DatBlob, next: Int) {
        let compressed = Int(try bytes.u32(at: offset, "the compressed size of \(what)"))
        let uncompressed = Int(try bytes.u32(at: offset + 4, "the uncompressed size of \(what)"))
        try bytes.require(offset + 8, compressed, "\(compressed) compressed bytes of \(what)")
        let blob = DatBlob(capacity: uncompressed)
        let source = UnsafeRawBufferPointer(start: bytes.base + offset + 8, count: compressed)
        guard decompress(source, into: blob, expected: uncompressed) else {
            throw bytes.corrupt("\(what) (\(compressed) bytes of \(name) at byte \(offset)) does not decompress to \(uncompressed) bytes")
        }
        return (blob, offset + 8 + compressed)
    }
}
