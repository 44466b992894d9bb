extension StateComparison {
    /// The comparison as one JSON object: `allWithinTolerance`, a `caches` summary, `skipped`
    /// files and `rows` (worst first), each row with its metric's label and kind, the zone,
    /// migratetype, order or cache it concerns, `real`, `memtop`, `deviationPercent` (null when
    /// the real value is 0 and memtop's is not), the tolerance, `countsTowardVerdict` and `ok`.
    ///
    /// - Returns: The JSON text, ending in `\n`.
    /// - Complexity: O(rows).
    public func renderJSON() -> String {
        var out = "{\n  \"allWithinTolerance\": \(allWithinTolerance),\n"
        out += "  \"caches\": {\"compared\": \(cachesCompared), \"passing\": \(cachesPassing), "
            + "\"passFraction\": \(cachePassFraction), \"requiredPassFraction\": \(Self.requiredCachePassFraction), "
            + "\"minimumActiveObjects\": \(Self.minimumCacheObjects), "
            + "\"missing\": " + JSONText.array(missingCaches) + ", \"duplicatesInMemtop\": "
            + JSONText.array(duplicateCacheNames) + "},\n"
        out += "  \"skipped\": [" + skipped.map { skip in
            "{\"file\": " + JSONText.string(skip.file.rawValue) + ", \"absentFromReal\": \(skip.absentFromReal), "
                + "\"absentFromMemtop\": \(skip.absentFromMemtop)}"
        }.joined(separator: ", ") + "],\n"
        out += "  \"rows\": [" + (rows.isEmpty ? "" : "\n")
        out += rows.map { "    " + Self.json($0) }.joined(separator: ",\n")
        out += (rows.isEmpty ? "" : "\n  ") + "]\n}\n"
        return out
    }

    /// One row as a JSON object on one line.
    static func json(_ row: ComparisonRow) -> String {
        var fields = ["\"metric\": " + JSONText.string(row.metric.name), "\"kind\": " + JSONText.string(row.metric.kind)]
        switch row.metric {
        case .freePages(let node, let zone), .highOrderFreePages(let node, let zone), .perCPUPages(let node, let zone):
            fields += ["\"node\": \(node)", "\"zone\": " + JSONText.string(zone)]
        case .freeBlocks(let node, let zone, let type, let order):
            fields += ["\"node\": \(node)", "\"zone\": " + JSONText.string(zone), "\"migrateType\": " + JSONText.string(type),
                       "\"order\": \(order)"]
        case .cacheActiveObjects(let cache), .cacheObjects(let cache), .cacheSlabs(let cache):
            fields.append("\"cache\": " + JSONText.string(cache))
        case .slabPages, .vmallocAreasWithPages, .vmallocPages:
            break
        }
        fields += ["\"real\": \(row.real)", "\"memtop\": \(row.memtop)",
                   "\"deviationPercent\": " + (row.deviationPercent.map { JSONText.number($0) } ?? "null"),
                   "\"tolerancePercent\": " + JSONText.number(row.tolerance.percent),
                   "\"toleranceAbsolute\": \(row.tolerance.absolute)",
                   "\"countsTowardVerdict\": \(row.countsTowardVerdict)", "\"ok\": \(row.isWithinTolerance)"]
        return "{" + fields.joined(separator: ", ") + "}"
    }
}
