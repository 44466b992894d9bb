/// A record's bytes, read in the file's byte order; reads past the end give 0 (a short record).
struct RecordBytes {
    let base: UnsafeRawPointer
    let count: Int
    let bigEndian: Bool

    @inline(__always) func u8(_ o: Int) -> UInt8 { o < count ? base.load(fromByteOffset: o, as: UInt8.self) : 0 }

    @inline(__always) func u16(_ o: Int) -> UInt16 {
        guard o + 2 <= count else { return 0 }
        let v = (base + o).loadUnaligned(as: UInt16.self)
        return bigEndian ? v.byteSwapped : v
    }

    @inline(__always) func u32(_ o: Int) -> UInt32 {
        guard o + 4 <= count else { return 0 }
        let v = (base + o).loadUnaligned(as: UInt32.self)
        return bigEndian ? v.byteSwapped : v
    }

    @inline(__always) func u64(_ o: Int) -> UInt64 {
        guard o + 8 <= count else { return 0 }
        let v = (base + o).loadUnaligned(as: UInt64.self)
        return bigEndian ? v.byteSwapped : v
    }
}
