extension ProcParser {
    /// Parses `/proc/zoneinfo` into its zones, in the order printed (node by node, lowest zone first).
    ///
    /// Each zone starts with `Node N, zone NAME`; the node's first zone carries the `per-node stats`
    /// section; then come `pages free`, the watermark and size lines, `protection: (...)`, the
    /// zone's counters, and the `pagesets` section (`cpu:`, `count:`, `high:`, `batch:`,
    /// `vm stats threshold:` per CPU), `node_unreclaimable:` and `start_pfn:`. Zones without present
    /// pages end after the protection line and are returned with ``ZoneInfo/isEmpty`` true. Both
    /// 6.1's layout and 6.12's (which adds `promo`) are read.
    ///
    /// - Parameters:
    ///   - text: The file's text.
    ///   - file: The name errors carry.
    /// - Returns: The zones, empty ones included.
    /// - Throws: ``CaptureError`` for a line of no zoneinfo shape, a number that is not one, a zone
    ///   missing `pages free`, `min`, `low`, `high`, `spanned`, `present`, `managed` or
    ///   `protection`, a pageset missing `count`, `high` or `batch`, or a file with no zone.
    /// - Complexity: O(n) in the length of `text`.
    public static func zoneinfo(_ text: String, file: String = "zoneinfo.txt") throws(CaptureError) -> [ZoneInfo] {
        let lines = ParseContext.lines(text)
        var parser = ZoneinfoParser(context: ParseContext(file: file))
        for line in lines where !line.isBlank { try parser.consume(line) }
        try parser.finishZone(endedBy: "end of file")
        guard !parser.zones.isEmpty else {
            throw parser.context.endOfFile(expected: "a \"Node N, zone NAME\" line", lineCount: lines.count)
        }
        return parser.zones
    }
}
