extension ProcParser {
    /// Parses `/proc/pagetypeinfo`: the pageblock size, the "Free pages count per migrate type at
    /// order" table and the "Number of blocks type" table (and "Number of mixed blocks" when the
    /// kernel prints it).
    ///
    /// - Parameters:
    ///   - text: The file's text.
    ///   - file: The name errors carry.
    /// - Returns: The parsed tables.
    /// - Throws: ``CaptureError`` for a line that fits no table, a row with the wrong number of
    ///   columns, a number that is not one, or a file missing the pageblock lines or either table's
    ///   heading.
    /// - Complexity: O(n) in the length of `text`.
    public static func pagetypeinfo(_ text: String, file: String = "pagetypeinfo.txt") throws(CaptureError) -> PageTypeInfo {
        let context = ParseContext(file: file)
        let lines = ParseContext.lines(text)
        var parser = PagetypeinfoParser(context: context)
        for line in lines where !line.isBlank { try parser.consume(line) }
        func required<T>(_ value: T?, _ what: String) throws(CaptureError) -> T {
            guard let value else { throw context.endOfFile(expected: what, lineCount: lines.count) }
            return value
        }
        return PageTypeInfo(pageblockOrder: try required(parser.pageblockOrder, "a \"Page block order:\" line"),
                            pagesPerBlock: try required(parser.pagesPerBlock, "a \"Pages per block:\" line"),
                            freeBlocks: parser.freeBlocks,
                            blockTypes: try required(parser.blockTypes, "the \"Number of blocks type\" table"),
                            blockCounts: parser.blockCounts, mixedBlockCounts: parser.mixedBlockCounts)
    }
}
