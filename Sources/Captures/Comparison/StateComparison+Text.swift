extension StateComparison {
    /// A plain-text report: a table of metric, real, memtop, deviation, tolerance and ok/FAIL,
    /// worst first, then the cache summary, skipped files and the verdict.
    ///
    /// Rows that are reported but do not decide the verdict carry a `*` after ok/FAIL.
    ///
    /// - Parameter limit: Print at most this many rows (the worst ones); nil for all.
    /// - Returns: The report, one line per row, each ending in `\n`.
    /// - Complexity: O(rows).
    public func renderText(limit: Int? = nil) -> String {
        let shown = limit.map { Array(rows.prefix($0)) } ?? rows
        let header = ["metric", "real", "memtop", "deviation", "tolerance", "ok"]
        let table = [header] + shown.map { row in
            [row.metric.name, String(row.real), String(row.memtop),
             row.deviationPercent.map { NumberText.fixed($0, decimals: 2, signed: true) + " %" } ?? "+inf",
             row.tolerance.description, (row.isWithinTolerance ? "ok" : "FAIL") + (row.countsTowardVerdict ? "" : " *")]
        }
        var widths = [Int](repeating: 0, count: header.count)
        for line in table { for (i, cell) in line.enumerated() { widths[i] = max(widths[i], cell.count) } }
        var out = ""
        for line in table {
            var cells: [String] = []
            for (i, cell) in line.enumerated() {
                let gap = String(repeating: " ", count: widths[i] - cell.count)
                // The metric and the status read left to right; numbers line up on the right.
                cells.append(i == 0 || i == header.count - 1 ? cell + gap : gap + cell)
            }
            var text = cells.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            out += text + "\n"
        }
        if shown.count < rows.count { out += "... \(rows.count - shown.count) more rows\n" }
        out += "* reported only: not part of the verdict\n"
        out += summaryText()
        return out
    }

    /// The lines after the table.
    func summaryText() -> String {
        let percent = NumberText.fixed(100 * cachePassFraction, decimals: 1)
        let required = NumberText.trimmed(100 * Self.requiredCachePassFraction)
        var out = "caches with >= \(Self.minimumCacheObjects) active objects: \(cachesCompared), "
            + "passing (active_objs within \(Tolerance.cache)): \(cachesPassing) = \(percent) % (need >= \(required) %)\n"
        out += "missing from memtop's slabinfo: " + (missingCaches.isEmpty ? "none" : missingCaches.joined(separator: ", ")) + "\n"
        out += "names twice in memtop's slabinfo: "
            + (duplicateCacheNames.isEmpty ? "none" : duplicateCacheNames.joined(separator: ", ")) + "\n"
        for skip in skipped {
            let sides = [skip.absentFromReal ? "the real state" : nil, skip.absentFromMemtop ? "memtop's state" : nil]
            out += "skipped \(skip.file.rawValue): absent from " + sides.compactMap { $0 }.joined(separator: " and ") + "\n"
        }
        out += "verdict: " + (allWithinTolerance ? "within tolerance" : "FAIL") + "\n"
        return out
    }
}
