extension ProcParser {
    /// The header of `pcp.tsv`.
    static let pcpColumns: [Substring] = ["node", "zone", "cpu", "count", "high", "batch", "vm_stats_threshold"]

    /// Parses `pcp.tsv`: the per-CPU page lists from zoneinfo's pagesets, one per zone and CPU, with
    /// the header `node zone cpu count high batch vm_stats_threshold` (tab-separated).
    ///
    /// `vm_stats_threshold` may be `NA`.
    ///
    /// - Parameters:
    ///   - text: The file's text.
    ///   - file: The name errors carry.
    /// - Returns: The lists in the order listed.
    /// - Throws: ``CaptureError`` for another header, a row that is not seven cells, or a number
    ///   that is not a non-negative one.
    /// - Complexity: O(n) in the length of `text`.
    public static func pcp(_ text: String, file: String = "pcp.tsv") throws(CaptureError) -> [PCPList] {
        let context = ParseContext(file: file)
        let lines = ParseContext.lines(text)
        let header = try tsvHeader(lines, context, firstColumn: "node")
        guard header == pcpColumns else {
            throw context.failure(lines[0], expected: "the header \"" + pcpColumns.joined(separator: "<TAB>") + "\"")
        }
        var lists: [PCPList] = []
        for line in lines.dropFirst() where !line.isBlank {
            let cells = line.cells
            guard cells.count == pcpColumns.count, !cells[1].isEmpty else {
                throw context.failure(line, expected: "\(pcpColumns.count) tab-separated cells")
            }
            var numbers: [Int] = []
            for index in [0, 2, 3, 4, 5] {
                numbers.append(try context.count(cells[index], String(pcpColumns[index]), on: line))
            }
            var threshold: Int?
            if cells[6] != "NA" { threshold = try context.count(cells[6], "vm_stats_threshold", on: line) }
            lists.append(PCPList(node: numbers[0], zone: String(cells[1]), cpu: numbers[1], count: numbers[2],
                                 high: numbers[3], batch: numbers[4], vmStatsThreshold: threshold))
        }
        return lists
    }
}
