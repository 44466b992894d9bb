extension ProcParser {
    /// Parses `slab_sysfs.tsv`: a header naming the columns (the first is `cache`), then one
    /// tab-separated row per `/sys/kernel/slab` directory.
    ///
    /// Values are kept by header name. `3 N0=3` keeps 3; `170(2) C0=85(1) C1=85(1)` keeps
    /// objects 170 and slabs 2; `NA` is ``SlabSysfsValue/notAvailable``.
    ///
    /// - Parameters:
    ///   - text: The file's text.
    ///   - file: The name errors carry.
    /// - Returns: The rows in the order listed.
    /// - Throws: ``CaptureError`` for a header not starting with `cache`, a row with another number
    ///   of cells than the header, or a value that is none of the shapes above.
    /// - Complexity: O(n) in the length of `text`.
    public static func slabSysfs(_ text: String, file: String = "slab_sysfs.tsv") throws(CaptureError) -> [SlabSysfsRow] {
        let context = ParseContext(file: file)
        let lines = ParseContext.lines(text)
        let columns = try tsvHeader(lines, context, firstColumn: "cache").map(String.init)
        var rows: [SlabSysfsRow] = []
        for line in lines.dropFirst() where !line.isBlank {
            let cells = line.cells
            guard cells.count == columns.count else {
                throw context.failure(line, expected: "\(columns.count) tab-separated cells as in the header, not \(cells.count)")
            }
            var values = [String: SlabSysfsValue](minimumCapacity: columns.count)
            for (column, cell) in zip(columns, cells).dropFirst() {
                values[column] = try slabSysfsValue(cell, column, line, context)
            }
            rows.append(SlabSysfsRow(cache: String(cells[0]), values: values))
        }
        return rows
    }

    /// Parses `slab_aliases.tsv`: a header `alias<TAB>target`, then one link per line.
    ///
    /// - Parameters:
    ///   - text: The file's text.
    ///   - file: The name errors carry.
    /// - Returns: The aliases in the order listed.
    /// - Throws: ``CaptureError`` for another header or a line that is not two non-empty cells.
    /// - Complexity: O(n) in the length of `text`.
    public static func slabAliases(_ text: String, file: String = "slab_aliases.tsv") throws(CaptureError) -> [SlabAlias] {
        let context = ParseContext(file: file)
        let lines = ParseContext.lines(text)
        let header = try tsvHeader(lines, context, firstColumn: "alias")
        // tsvHeader returned, so there is a first line.
        guard header == ["alias", "target"] else {
            throw context.failure(lines[0], expected: "the header \"alias<TAB>target\"")
        }
        var aliases: [SlabAlias] = []
        for line in lines.dropFirst() where !line.isBlank {
            let cells = line.cells
            guard cells.count == 2, !cells[0].isEmpty, !cells[1].isEmpty else {
                throw context.failure(line, expected: "\"ALIAS<TAB>TARGET\"")
            }
            aliases.append(SlabAlias(alias: String(cells[0]), target: String(cells[1])))
        }
        return aliases
    }

    /// The header cells of a TSV file, checking its first column's name.
    static func tsvHeader(_ lines: [TextLine], _ context: ParseContext, firstColumn: String) throws(CaptureError) -> [Substring] {
        guard let header = lines.first else {
            throw context.endOfFile(expected: "a tab-separated header starting \"\(firstColumn)\"", lineCount: 0)
        }
        let cells = header.cells
        guard cells.first == Substring(firstColumn) else {
            throw context.failure(header, expected: "a tab-separated header starting \"\(firstColumn)\"")
        }
        return cells
    }

    /// One cell: `NA`, `N`, `N N0=...`, or `N(S) C0=...`.
    static func slabSysfsValue(_ cell: Substring, _ column: String, _ line: TextLine,
                               _ context: ParseContext) throws(CaptureError) -> SlabSysfsValue {
        // Compared and cut as bytes: by characters, these few tests cost more than the number.
        let bytes = cell.utf8
        if bytes.elementsEqual("NA".utf8) { return .notAvailable }
        let head = bytes.firstIndex(of: UInt8(ascii: " ")).map { cell[..<$0] } ?? cell
        if let open = head.utf8.firstIndex(of: UInt8(ascii: "(")), head.utf8.last == UInt8(ascii: ")") {
            let objects = try context.count(head[..<open], "\(column) objects", on: line)
            let slabs = try context.count(Substring(head.utf8[head.utf8.index(after: open)..<head.utf8.index(before: head.utf8.endIndex)]),
                                          "\(column) slabs", on: line)
            return .objectsAndSlabs(objects: objects, slabs: slabs)
        }
        return .number(try context.count(head, column, on: line))
    }
}
