extension ProcParser {
    /// Parses `/proc/buddyinfo`: `Node N, zone NAME` and one free block count per order, for each
    /// populated zone.
    ///
    /// - Parameters:
    ///   - text: The file's text.
    ///   - file: The name errors carry.
    /// - Returns: The zones in the order printed.
    /// - Throws: ``CaptureError`` for a line not of that shape, a count that is not a non-negative
    ///   number, a line with a different number of orders than the first, or a file with no zone.
    /// - Complexity: O(n) in the length of `text`.
    public static func buddyinfo(_ text: String, file: String = "buddyinfo.txt") throws(CaptureError) -> [BuddyInfoZone] {
        let context = ParseContext(file: file)
        let lines = ParseContext.lines(text)
        var zones: [BuddyInfoZone] = []
        for line in lines where !line.isBlank {
            let (node, zone, rest) = try context.nodeZonePrefix(line, line.fields)
            guard !rest.isEmpty else { throw context.failure(line, expected: "free block counts after the zone name") }
            var counts: [Int] = []
            for (order, token) in rest.enumerated() {
                counts.append(try context.count(token, "the order-\(order) free blocks", on: line))
            }
            if let first = zones.first, first.freeBlocks.count != counts.count {
                throw context.failure(line, expected: "\(first.freeBlocks.count) orders, as on the first line, not \(counts.count)")
            }
            zones.append(BuddyInfoZone(node: node, zone: zone, freeBlocks: counts))
        }
        guard !zones.isEmpty else {
            throw context.endOfFile(expected: "a \"Node N, zone NAME counts...\" line", lineCount: lines.count)
        }
        return zones
    }
}

extension ParseContext {
    /// Reads the leading `Node N, zone NAME` of a buddyinfo or pagetypeinfo line (the name may end
    /// with a comma, as pagetypeinfo's free table prints it) and returns the remaining fields.
    func nodeZonePrefix(_ line: TextLine, _ fields: [Substring]) throws(CaptureError) -> (Int, String, ArraySlice<Substring>) {
        // "Node 0, zone DMA" or "Node    0, zone      DMA, type ..."
        guard fields.count >= 4, fields[0] == "Node", fields[1].hasSuffix(","), fields[2] == "zone" else {
            throw failure(line, expected: "a line starting \"Node N, zone NAME\"")
        }
        let node = try count(fields[1].dropLast(), "the node", on: line)
        let name = fields[3].hasSuffix(",") ? fields[3].dropLast() : fields[3]
        guard !name.isEmpty else { throw failure(line, expected: "a zone name", token: fields[3]) }
        return (node, String(name), fields[4...])
    }
}
