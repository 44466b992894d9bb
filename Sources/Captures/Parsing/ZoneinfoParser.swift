/// The line-by-line state of ``ProcParser/zoneinfo(_:file:)``.
struct ZoneinfoParser {
    /// Where in a zone's block the parser is, which decides what a `name value` line is.
    enum Section {
        /// After `per-node stats`: the node's counters.
        case nodeStats
        /// After `pages free`: watermarks and sizes.
        case header
        /// After `protection:`: the zone's counters.
        case counters
        /// After `pagesets`: per-CPU blocks.
        case pagesets
    }

    /// A zone whose lines are still being read.
    struct ZoneDraft {
        var node: Int
        var name: String
        var headerLine: TextLine
        var header: [String: Int] = [:]
        var protection: [Int]?
        var counters: [String: Int] = [:]
        var nodeCounters: [String: Int] = [:]
        var pagesets: [PCPList] = []
        var pageset: PagesetDraft?
        var nodeUnreclaimable: Int?
        var startPFN: Int?
    }

    /// A `cpu:` block still being read.
    struct PagesetDraft {
        var cpu: Int
        var line: TextLine
        var values: [String: Int] = [:]
        var vmStatsThreshold: Int?
    }

    let context: ParseContext
    var zones: [ZoneInfo] = []
    var zone: ZoneDraft?
    var section = Section.header

    init(context: ParseContext) { self.context = context }

    /// Reads one non-blank line.
    mutating func consume(_ line: TextLine) throws(CaptureError) {
        let fields = line.fields
        if fields[0] == "Node" {
            try finishZone(endedBy: ParseContext.quote(line.text))
            zone = try header(line, fields)
            section = .header
            return
        }
        guard zone != nil else { throw context.failure(line, expected: "a \"Node N, zone NAME\" line") }
        switch line.trimmed {
        case "per-node stats": section = .nodeStats; return
        case "pagesets": section = .pagesets; return
        default: break
        }
        if fields.count == 3, fields[0] == "pages", fields[1] == "free" {
            zone?.header["pages free"] = try context.count(fields[2], "pages free", on: line)
            section = .header
        } else if fields[0] == "protection:" {
            let entries = try protection(line)
            zone?.protection = entries
            section = .counters
        } else if fields.count == 4, fields[0] == "vm", fields[1] == "stats", fields[2] == "threshold:" {
            guard zone?.pageset != nil else { throw context.failure(line, expected: "a \"cpu: N\" line before the threshold") }
            zone?.pageset?.vmStatsThreshold = try context.count(fields[3], "vm stats threshold", on: line)
        } else if fields.count == 2, fields[0].hasSuffix(":") {
            try keyed(String(fields[0].dropLast()), fields[1], line)
        } else if fields.count == 2 {
            let value = try context.count(fields[1], "\"\(fields[0])\"", on: line)
            switch section {
            case .nodeStats: zone?.nodeCounters[String(fields[0])] = value
            case .header: zone?.header[String(fields[0])] = value
            case .counters: zone?.counters[String(fields[0])] = value
            case .pagesets: throw context.failure(line, expected: "a \"name: value\" line in pagesets")
            }
        } else {
            throw context.failure(line, expected: "a zoneinfo line (\"name value\", \"name: value\", \"protection: (...)\")")
        }
    }

    /// `Node N, zone NAME`.
    func header(_ line: TextLine, _ fields: [Substring]) throws(CaptureError) -> ZoneDraft {
        guard fields.count == 4, fields[1].hasSuffix(","), fields[2] == "zone" else {
            throw context.failure(line, expected: "\"Node N, zone NAME\"")
        }
        let node = try context.count(fields[1].dropLast(), "the node", on: line)
        return ZoneDraft(node: node, name: String(fields[3]), headerLine: line)
    }

    /// `protection: (0, 943, 943, 943, 943)`.
    func protection(_ line: TextLine) throws(CaptureError) -> [Int] {
        let rest = line.trimmed.dropFirst("protection:".count).drop(while: { $0 == " " })
        guard rest.first == "(", rest.last == ")" else {
            throw context.failure(line, expected: "\"protection: (N, N, ...)\"")
        }
        var values: [Int] = []
        for piece in rest.dropFirst().dropLast().split(separator: ",") {
            let token = piece.split(separator: " ").first ?? piece
            values.append(try context.signed(token, "a protection entry", on: line))
        }
        return values
    }

    /// A `name: value` line: a pageset field, `node_unreclaimable` or `start_pfn`.
    mutating func keyed(_ key: String, _ token: Substring, _ line: TextLine) throws(CaptureError) {
        let value = try context.count(token, "\"\(key)\"", on: line)
        switch key {
        case "cpu":
            guard section == .pagesets else { throw context.failure(line, expected: "\"cpu:\" only after \"pagesets\"") }
            try finishPageset()
            zone?.pageset = PagesetDraft(cpu: value, line: line)
        case "node_unreclaimable":
            try finishPageset()
            zone?.nodeUnreclaimable = value
        case "start_pfn":
            try finishPageset()
            zone?.startPFN = value
        default:
            guard section == .pagesets, zone?.pageset != nil else {
                throw context.failure(line, expected: "\"\(key):\" only inside a pageset's \"cpu:\" block")
            }
            // count, high, batch, and any field a later kernel adds to the block (kept unread).
            zone?.pageset?.values[key] = value
        }
    }

    /// Closes the open `cpu:` block, if any.
    mutating func finishPageset() throws(CaptureError) {
        guard let draft = zone?.pageset, let owner = zone else { return }
        func field(_ name: String) throws(CaptureError) -> Int {
            guard let value = draft.values[name] else {
                throw CaptureError(file: context.file, line: draft.line.number,
                                   expected: "a \"\(name):\" line for cpu \(draft.cpu) of zone \(owner.name)",
                                   found: "none before the block ended")
            }
            return value
        }
        let list = PCPList(node: owner.node, zone: owner.name, cpu: draft.cpu, count: try field("count"),
                           high: try field("high"), batch: try field("batch"), vmStatsThreshold: draft.vmStatsThreshold)
        zone?.pagesets.append(list)
        zone?.pageset = nil
    }

    /// Closes the open zone, if any, checking that every required line was there.
    mutating func finishZone(endedBy ending: String) throws(CaptureError) {
        try finishPageset()
        guard let draft = zone else { return }
        func missing(_ what: String) -> CaptureError {
            CaptureError(file: context.file, line: draft.headerLine.number,
                         expected: "a \(what) line in zone \(draft.name)", found: "none before \(ending)")
        }
        func field(_ name: String) throws(CaptureError) -> Int {
            guard let value = draft.header[name] else { throw missing("\"\(name)\"") }
            return value
        }
        guard let protection = draft.protection else { throw missing("\"protection:\"") }
        let pagesFree = try field("pages free")
        let watermarks = ZoneWatermarks(min: try field("min"), low: try field("low"), high: try field("high"),
                                        boost: draft.header["boost"], promo: draft.header["promo"])
        var counters = draft.counters
        let modelled: Set<String> = ["pages free", "min", "low", "high", "boost", "promo", "spanned", "present", "managed"]
        for (name, value) in draft.header where !modelled.contains(name) { counters[name] = value }
        zones.append(ZoneInfo(node: draft.node, name: draft.name, startPFN: draft.startPFN, spanned: try field("spanned"),
                              present: try field("present"), managed: try field("managed"),
                              freePages: draft.counters["nr_free_pages"] ?? pagesFree, watermarks: watermarks,
                              protection: protection, pagesets: draft.pagesets, counters: counters,
                              nodeCounters: draft.nodeCounters, nodeUnreclaimable: draft.nodeUnreclaimable))
        zone = nil
    }
}
