/// The line-by-line state of ``ProcParser/pagetypeinfo(_:file:)``.
struct PagetypeinfoParser {
    /// The table the next `Node` line belongs to.
    enum Table { case none, free, blocks, mixed }

    let context: ParseContext
    var pageblockOrder: Int?
    var pagesPerBlock: Int?
    var orders = 0
    var freeBlocks: [MigrateTypeFreeBlocks] = []
    var blockTypes: [String]?
    var mixedTypes: [String] = []
    var blockCounts: [PageblockCounts] = []
    var mixedBlockCounts: [PageblockCounts] = []
    var table = Table.none

    init(context: ParseContext) { self.context = context }

    /// Reads one non-blank line.
    mutating func consume(_ line: TextLine) throws(CaptureError) {
        let fields = line.fields
        let text = line.trimmed
        if text.hasPrefix("Page block order:"), fields.count == 4 {
            pageblockOrder = try context.count(fields[3], "the pageblock order", on: line)
        } else if text.hasPrefix("Pages per block:"), fields.count == 4 {
            pagesPerBlock = try context.count(fields[3], "pages per block", on: line)
        } else if text.hasPrefix("Free pages count per migrate type at order") {
            try freeHeading(line, fields.dropFirst(8))
        } else if text.hasPrefix("Number of blocks type") {
            blockTypes = fields.dropFirst(4).map(String.init)
            table = .blocks
        } else if text.hasPrefix("Number of mixed blocks") {
            mixedTypes = fields.dropFirst(4).map(String.init)
            table = .mixed
        } else if fields[0] == "Node" {
            try row(line, fields)
        } else {
            throw context.failure(line, expected: "a pagetypeinfo heading or a \"Node N, zone NAME\" row")
        }
    }

    /// `Free pages count per migrate type at order 0 1 ... 10`: the orders must run 0, 1, 2, ...
    mutating func freeHeading(_ line: TextLine, _ orderFields: ArraySlice<Substring>) throws(CaptureError) {
        for (expected, token) in orderFields.enumerated() where Int(token) != expected {
            throw context.failure(line, expected: "order \(expected) in the heading", token: token)
        }
        guard !orderFields.isEmpty else { throw context.failure(line, expected: "the orders 0, 1, ... after \"at order\"") }
        orders = orderFields.count
        table = .free
    }

    /// A `Node N, zone NAME, type TYPE counts` row of the free table, or a `Node N, zone NAME counts`
    /// row of a block table.
    mutating func row(_ line: TextLine, _ fields: [Substring]) throws(CaptureError) {
        let (node, zone, rest) = try context.nodeZonePrefix(line, fields)
        switch table {
        case .none:
            throw context.failure(line, expected: "a table heading before the first \"Node\" row")
        case .free:
            guard rest.count == orders + 2, rest.first == "type" else {
                throw context.failure(line, expected: "\"type NAME\" and \(orders) counts after the zone")
            }
            let type = rest[rest.startIndex + 1]
            freeBlocks.append(MigrateTypeFreeBlocks(node: node, zone: zone, migrateType: String(type),
                                                    counts: try counts(rest.dropFirst(2), line)))
        case .blocks:
            let columns = blockTypes?.count ?? 0
            guard rest.count == columns else { throw context.failure(line, expected: "\(columns) pageblock counts after the zone") }
            blockCounts.append(PageblockCounts(node: node, zone: zone, counts: try counts(rest, line)))
        case .mixed:
            guard rest.count == mixedTypes.count else {
                throw context.failure(line, expected: "\(mixedTypes.count) mixed-block counts after the zone")
            }
            mixedBlockCounts.append(PageblockCounts(node: node, zone: zone, counts: try counts(rest, line)))
        }
    }

    func counts(_ tokens: ArraySlice<Substring>, _ line: TextLine) throws(CaptureError) -> [Int] {
        var values: [Int] = []
        for token in tokens { values.append(try context.count(token, "a block count", on: line)) }
        return values
    }
}
