import HeapModel

/// One ftrace line as the replay needs it: the event and its numbers, read from the text without
/// touching the machine. Decoding and applying are separate so that a headless replay can decode
/// on one core while the simulation runs on the other (``FtraceReplayer/replayAll(from:upTo:strict:rewind:on:afterLine:)``).
struct DecodedLine {
    /// What the line is.
    enum Kind: UInt8 {
        /// A header, comment or empty line.
        case comment
        /// `CPU:N [LOST M EVENTS]`; the count is in `a`.
        case lost
        /// An event memtop reads; `event` says which.
        case event
        /// An event of another name (counted by name).
        case otherEvent
        /// One frame of `perf script -g`'s call chain under the event above: the address in
        /// `address`, the frame's name (`sym+0xoff`, with its object when not the kernel's) in the
        /// site range, `a` 1 for a kernel frame, `b` 1 when perf could not name the symbol.
        case frame
        /// Not ftrace text at all (always an error).
        case invalid
    }

    var kind: Kind
    var event: TraceEvent = .kfree
    /// Nothing to do (a NULL pointer, a non-movable page, `deallocate_pages=0`).
    var skip = false
    var line: Int
    /// The line's timestamp in nanoseconds, -1 when it has none (comments, lost-event marks).
    var timestamp: Int64 = -1
    var cpu = 0
    /// The task; -1 unless ``FtraceDecoder/readsTask(of:)`` (the events whose task the replay asks).
    var pid = 0
    /// `ptr`, `pfn`, `addr` or `ret`.
    var address: UInt64 = 0
    /// `bytes_req`, `order` or `size`.
    var a = 0
    /// `bytes_alloc`, `migratetype` or `align`.
    var b = 0
    var flags: GFPFlags = []
    /// The call site's hash and its range in the line (`start == end` when the line names none).
    var siteHash: UInt64 = 0
    var siteStart: Int32 = 0, siteEnd: Int32 = 0
    /// A cache free's `name=`: its hash and range (`start == end` when the fast path did not
    /// read one; the replayer then looks for it itself).
    var nameHash: UInt64 = 0
    var nameStart: Int32 = 0, nameEnd: Int32 = 0
    /// `failed=1` on an `alloc_vmap_area` line.
    var failed = false
    /// An `mm_page_free` from a `kcompactd` thread (read only when the replay places kernel pages).
    var compacting = false
    /// The event was printed by `perf script`, so its call chain may follow on the next lines.
    var chainMayFollow = false
    /// Why the event's fields could not be read, if they could not (index into the batch's errors).
    var error: Int32 = -1
}

extension DecodedLine {
    /// Notes the call site at `range` of `line`.
    mutating func setSite(_ range: Range<Int>, in line: ByteLine) {
        siteHash = line.hash(range)
        siteStart = Int32(range.lowerBound)
        siteEnd = Int32(range.upperBound)
    }
}
