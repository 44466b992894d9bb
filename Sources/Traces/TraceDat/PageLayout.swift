/// Where things are in a ring-buffer page, from the trace.dat's `header_page` format
/// (`timestamp`, `commit`, `data`), and the event header's special type lengths from `header_event`.
struct PageLayout: Sendable {
    var timestampOffset = 0
    var commitOffset = 8
    /// The kernel's long size: the commit word is a `local_t`.
    var commitSize = 8
    var dataOffset = 16
    /// Type lengths of the compressed event header (5 bits of type_len, 27 of time delta).
    var padding: UInt32 = 29, timeExtend: UInt32 = 30, timeStamp: UInt32 = 31

    /// The layout described by the `header_page` and `header_event` files.
    /// - Throws: a message when a needed field is missing or does not fit a page of `pageSize`.
    init(headerPage: String, headerEvent: String, pageSize: Int) throws(EventFormatError) {
        for line in headerPage.split(separator: "\n") where line.trimmingSpaces.hasPrefix("field") {
            let f = try EventFormat.field(line.trimmingSpaces)
            switch f.name {
            case "timestamp": timestampOffset = f.offset
            case "commit": (commitOffset, commitSize) = (f.offset, f.size)
            case "data": dataOffset = f.offset
            default: break
            }
        }
        guard commitSize == 4 || commitSize == 8, timestampOffset + 8 <= dataOffset, commitOffset + commitSize <= dataOffset,
              dataOffset < pageSize else {
            throw EventFormatError("expected a header_page with an 8-byte timestamp, a 4- or 8-byte commit and data inside "
                + "a \(pageSize)-byte page, found timestamp@\(timestampOffset) commit@\(commitOffset)/\(commitSize) data@\(dataOffset)")
        }
        for line in headerEvent.split(separator: "\n") {
            let parts = line.split(separator: ":")
            guard parts.count == 2, let value = UInt32(parts[1].split(separator: "=").last?.trimmingSpaces ?? "") else { continue }
            switch parts[0].trimmingSpaces {
            case "padding": padding = value
            case "time_extend": timeExtend = value
            case "time_stamp": timeStamp = value
            default: break
            }
        }
    }
}
