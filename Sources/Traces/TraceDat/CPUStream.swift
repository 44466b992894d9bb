/// One CPU's ring-buffer pages, read event by event: the page header's timestamp and commit word
/// (with the missed-events flags), then the compressed event headers — data events, time
/// extends, absolute timestamps and padding — as the kernel's ring buffer lays them out
/// (`kernel/trace/ring_buffer.c`; the trace.dat's `header_page` and `header_event` give the
/// offsets and type values). Version 7's compressed chunks are decompressed one at a time.
///
/// After ``next()`` returns true, `timestamp`, `record` and `length` describe the event, and
/// `lost` counts events the ring buffer dropped before it (not yet reported).
struct CPUStream {
    let cpu: Int
    private let file: DatBytes
    private let layout: PageLayout
    private let pageSize: Int
    private let compression: DatCompression?
    /// The bytes holding the pages now being read (a slice of the file, or a decompressed chunk).
    private var region: DatBytes
    private var blob: DatBlob?
    private var nextPage = 0
    /// Compressed data: the next chunk's offset in the file, the chunks left, and where they must end.
    private var chunkOffset = 0, chunksLeft = 0, chunksEnd = 0
    private var page: UnsafeRawPointer
    private var position = 0, end = 0
    private var stamp: UInt64 = 0
    private var pageNumber = -1

    private(set) var timestamp: UInt64 = 0
    private(set) var record: UnsafeRawPointer
    private(set) var length = 0
    var lost = 0

    init(_ data: CPUData, file: DatBytes, layout: PageLayout, pageSize: Int, compression: DatCompression?) throws(TraceInputError) {
        (cpu, self.file, self.layout, self.pageSize, self.compression) = (data.cpu, file, layout, pageSize, compression)
        page = file.base
        record = file.base
        region = try file.slice(at: data.offset, count: compression == nil ? data.size : 0, place: "CPU \(data.cpu)'s data", "CPU \(data.cpu)'s data")
        if compression != nil {
            chunksLeft = Int(try file.u32(at: data.offset, "CPU \(data.cpu)'s chunk count"))
            chunkOffset = data.offset + 4
            chunksEnd = min(file.count, data.offset + 4 + data.size)
        } else if data.size % pageSize != 0 {
            throw file.corrupt("CPU \(data.cpu)'s data (\(data.size) bytes) is not whole \(pageSize)-byte pages")
        }
    }

    private func failure(_ what: String) -> TraceInputError {
        TraceInputError(file: file.file, line: nil, message: "CPU \(cpu), ring-buffer page \(pageNumber): \(what): corrupt trace.dat")
    }

    /// Moves to the next event; false at the end of this CPU's data.
    /// - Throws: ``TraceInputError`` for a page or event header that does not fit its page, or a
    ///   chunk that does not decompress.
    mutating func next() throws(TraceInputError) -> Bool {
        let big = file.bigEndian
        while true {
            if position + 4 > end {
                guard try loadPage() else { return false }
                continue
            }
            let word = page.load32(position, big)
            let type = big ? word >> 27 : word & 31
            let delta = UInt64(big ? word & 0x7ff_ffff : word >> 5)
            var dataStart = position + 4, dataLength: Int
            if type == 0 {
                guard position + 8 <= end else { throw failure("an event header at byte \(position) past the commit") }
                let stated = Int(page.load32(position + 4, big))
                guard stated >= 4 else { throw failure("an event length of \(stated) at byte \(position)") }
                dataStart = position + 8
                dataLength = (stated - 4 + 3) & ~3
            } else if type < layout.padding {
                dataLength = Int(type) * 4
            } else {
                try special(type, delta)
                continue
            }
            guard dataStart + dataLength <= end else { throw failure("an event of \(dataLength) bytes at byte \(position) past the commit") }
            stamp &+= delta
            timestamp = stamp
            record = page + dataStart
            length = dataLength
            position = dataStart + dataLength
            return true
        }
    }

    /// Padding, a time extend or an absolute timestamp: updates the clock and moves past it.
    private mutating func special(_ type: UInt32, _ delta: UInt64) throws(TraceInputError) {
        let big = file.bigEndian
        if type == layout.padding {
            // A padding with no delta is the end of the page's data; else array[0] is its length.
            // Its delta is not added: the kernel's reader skips padding without touching its clock.
            if delta == 0 { position = end; return }
            guard position + 8 <= end else { throw failure("a padding header at byte \(position) past the commit") }
            position += 4 + Int(page.load32(position + 4, big))
            return
        }
        guard position + 8 <= end else { throw failure("a time header at byte \(position) past the commit") }
        let high = UInt64(page.load32(position + 4, big)) << 27
        if type == layout.timeExtend {
            stamp &+= high + delta
        } else if type == layout.timeStamp {
            // An absolute time lacks the top 5 bits; they come from the current time, as the kernel's
            // rb_fix_abs_ts restores them.
            var absolute = high | delta
            let msb: UInt64 = 0xf8 << 56
            if stamp & msb != 0 {
                absolute |= stamp & msb
                if absolute < stamp { absolute &+= 1 << 59 }
            }
            stamp = absolute
        } else {
            throw failure("an event type \(type) at byte \(position)")
        }
        position += 8
    }

    /// Starts the next page (decompressing the next chunk when the current one is done).
    private mutating func loadPage() throws(TraceInputError) -> Bool {
        if nextPage + pageSize > region.count {
            guard compression != nil, chunksLeft > 0 else { return false }
            try loadChunk()
        }
        let p = region.base + nextPage
        nextPage += pageSize
        pageNumber += 1
        let big = file.bigEndian
        stamp = p.load64(layout.timestampOffset, big)
        let commit = layout.commitSize == 8 ? p.load64(layout.commitOffset, big) : UInt64(p.load32(layout.commitOffset, big))
        let size = Int(commit & ((1 << 27) - 1))
        guard layout.dataOffset + size <= pageSize else { throw failure("a commit of \(size) bytes in a \(pageSize)-byte page") }
        if commit & (1 << 31) != 0 {
            // Missed events; with MISSED_STORED the count follows the data, else it is unknown: one.
            var missed = 1
            if commit & (1 << 30) != 0, layout.dataOffset + size + layout.commitSize <= pageSize {
                let at = layout.dataOffset + size
                let n = layout.commitSize == 8 ? p.load64(at, big) : UInt64(p.load32(at, big))
                missed = Int(clamping: n)
            }
            lost = lost > Int.max - missed ? Int.max : lost + missed
        }
        page = p
        position = layout.dataOffset
        end = layout.dataOffset + size
        return true
    }

    private mutating func loadChunk() throws(TraceInputError) {
        guard let compression else { return }
        let what = "CPU \(cpu)'s compressed chunk at offset \(chunkOffset)"
        guard chunkOffset + 8 <= chunksEnd else { throw file.truncated(what, at: chunkOffset) }
        let (chunk, next) = try compression.block(in: file, at: chunkOffset, what: what)
        guard next <= chunksEnd else { throw file.truncated("\(what), which runs past CPU \(cpu)'s data", at: chunkOffset) }
        guard chunk.count % pageSize == 0 else { throw file.corrupt("\(what) holds \(chunk.count) bytes, not whole pages") }
        chunkOffset = next
        chunksLeft -= 1
        blob = chunk
        region = chunk.bytes(bigEndian: file.bigEndian, file: file.file, place: what)
        nextPage = 0
    }
}

extension UnsafeRawPointer {
    @inline(__always) func load32(_ offset: Int, _ bigEndian: Bool) -> UInt32 {
        let v = (self + offset).loadUnaligned(as: UInt32.self)
        return bigEndian ? v.byteSwapped : v
    }

    @inline(__always) func load64(_ offset: Int, _ bigEndian: Bool) -> UInt64 {
        let v = (self + offset).loadUnaligned(as: UInt64.self)
        return bigEndian ? v.byteSwapped : v
    }
}
