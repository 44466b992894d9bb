extension ProcParser {
    /// Parses `/proc/slabinfo` version 2.1: one row per cache, in the order printed.
    ///
    /// The first line must be `slabinfo - version: 2.1`; `#` lines are headings. A row is the name,
    /// five numbers, `: tunables` and three numbers, `: slabdata` and three numbers; it is read
    /// from the right, so a name with a space in it would still parse.
    ///
    /// - Parameters:
    ///   - text: The file's text.
    ///   - file: The name errors carry.
    /// - Returns: The rows; duplicate names are kept as printed.
    /// - Throws: ``CaptureError`` for another version line, a row of another shape, or a number that
    ///   is not a non-negative one.
    /// - Complexity: O(n) in the length of `text`.
    public static func slabinfo(_ text: String, file: String = "slabinfo.txt") throws(CaptureError) -> [SlabInfoRow] {
        let context = ParseContext(file: file)
        let lines = ParseContext.lines(text)
        guard let first = lines.first else {
            throw context.endOfFile(expected: "\"slabinfo - version: 2.1\"", lineCount: 0)
        }
        guard first.trimmed == "slabinfo - version: 2.1" else {
            throw context.failure(first, expected: "\"slabinfo - version: 2.1\"")
        }
        var rows: [SlabInfoRow] = []
        for line in lines.dropFirst() where !line.isBlank && line.text.first != "#" {
            rows.append(try slabinfoRow(line, context))
        }
        return rows
    }

    /// `name active num objsize objperslab pagesperslab : tunables l b s : slabdata a n s`.
    static func slabinfoRow(_ line: TextLine, _ context: ParseContext) throws(CaptureError) -> SlabInfoRow {
        let fields = line.fields
        let shape = "a slabinfo row (name, 5 numbers, \": tunables\" and 3, \": slabdata\" and 3)"
        guard fields.count >= 16 else { throw context.failure(line, expected: shape) }
        let tail = fields.suffix(15)
        let at = { (offset: Int) in tail[tail.startIndex + offset] }
        guard at(5) == ":", at(6) == "tunables", at(10) == ":", at(11) == "slabdata" else {
            throw context.failure(line, expected: shape)
        }
        let name = fields.prefix(fields.count - 15).joined(separator: " ")
        var numbers: [Int] = []
        let names = ["active_objs", "num_objs", "objsize", "objperslab", "pagesperslab"]
        for (offset, what) in names.enumerated() { numbers.append(try context.count(at(offset), what, on: line)) }
        for offset in 7...9 { _ = try context.count(at(offset), "a tunable", on: line) }
        let activeSlabs = try context.count(at(12), "active_slabs", on: line)
        let slabs = try context.count(at(13), "num_slabs", on: line)
        _ = try context.count(at(14), "sharedavail", on: line)
        return SlabInfoRow(name: name, activeObjects: numbers[0], objects: numbers[1], objectSize: numbers[2],
                           objectsPerSlab: numbers[3], pagesPerSlab: numbers[4], activeSlabs: activeSlabs, slabs: slabs)
    }
}
