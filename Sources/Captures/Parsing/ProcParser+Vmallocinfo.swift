extension ProcParser {
    /// Parses `/proc/vmallocinfo`: one area per line, in address order as printed.
    ///
    /// A line is `0xSTART-0xEND SIZE`, then either `unpurged vm_area` or `vm_map_ram`, or an
    /// optional caller (with a ` [module]` suffix when in a module) and any of `pages=N`,
    /// `phys=0x...`, `N<node>=<pages>` and kind words. An empty file (no areas) is valid.
    ///
    /// - Parameters:
    ///   - text: The file's text.
    ///   - file: The name errors carry.
    /// - Returns: The areas.
    /// - Throws: ``CaptureError`` for a malformed range or size, an end below the start, a
    ///   `pages=`, `phys=` or node value that is not a number, or a token of no known shape.
    /// - Complexity: O(n) in the length of `text`.
    public static func vmallocinfo(_ text: String, file: String = "vmallocinfo.txt") throws(CaptureError) -> [VmallocArea] {
        let context = ParseContext(file: file)
        var areas: [VmallocArea] = []
        for line in ParseContext.lines(text) where !line.isBlank {
            areas.append(try vmallocArea(line, context))
        }
        return areas
    }

    /// The flag words `mm/vmalloc.c` prints after the numbers, plus `vm_map_ram`.
    static let vmallocKindWords: Set<Substring> = ["ioremap", "sparse", "vmalloc", "vmap", "user", "dma-coherent", "vpages",
                                                   "vm_map_ram"]

    /// Whether `token` is one of ``vmallocKindWords``, compared as bytes (a `Set<Substring>` hashes
    /// it by characters, which costs more than the rest of the line).
    static func isKindWord(_ token: Substring) -> Bool {
        let bytes = token.utf8
        return vmallocKindBytes.contains { $0.elementsEqual(bytes) }
    }

    /// ``vmallocKindWords`` as bytes.
    static let vmallocKindBytes: [[UInt8]] = vmallocKindWords.map { Array($0.utf8) }

    /// One vmallocinfo line.
    static func vmallocArea(_ line: TextLine, _ context: ParseContext) throws(CaptureError) -> VmallocArea {
        let fields = line.fields
        guard fields.count >= 2 else { throw context.failure(line, expected: "\"0xSTART-0xEND SIZE ...\"") }
        let range = fields[0].utf8
        guard let dash = range.firstIndex(of: UInt8(ascii: "-")), !range[range.index(after: dash)...].contains(UInt8(ascii: "-")) else {
            throw context.failure(line, expected: "an address range 0xSTART-0xEND", token: fields[0])
        }
        let start = try context.hex(Substring(range[..<dash]), "start address", on: line)
        let end = try context.hex(Substring(range[range.index(after: dash)...]), "end address", on: line)
        guard end >= start else { throw context.failure(line, expected: "an end address not below the start", token: fields[0]) }
        let size = try context.count(fields[1], "the size", on: line)
        var area = VmallocArea(start: start, end: end, size: size, caller: nil, pages: nil, physicalAddress: nil, kinds: [])
        var rest = fields.dropFirst(2)
        if rest.count == 2, rest.first!.utf8.elementsEqual("unpurged".utf8), rest.last!.utf8.elementsEqual("vm_area".utf8) {
            area.kinds = [VmallocArea.unpurgedKind]
            return area
        }
        if let first = rest.first, !first.utf8.contains(UInt8(ascii: "=")), !isKindWord(first) {
            var caller = String(first)
            rest = rest.dropFirst()
            while let module = rest.first, module.utf8.first == UInt8(ascii: "["), module.utf8.last == UInt8(ascii: "]") {
                caller += " " + module
                rest = rest.dropFirst()
            }
            area.caller = caller
        }
        for token in rest { try vmallocToken(token, into: &area, line, context) }
        return area
    }

    /// `pages=N`, `phys=0x...`, `N<node>=<pages>` or a kind word.
    static func vmallocToken(_ token: Substring, into area: inout VmallocArea, _ line: TextLine,
                             _ context: ParseContext) throws(CaptureError) {
        // Cut and compared as bytes: by characters, these tests cost more than the numbers.
        if let equals = token.utf8.firstIndex(of: UInt8(ascii: "=")) {
            let key = token.utf8[..<equals], value = Substring(token.utf8[token.utf8.index(after: equals)...])
            if key.elementsEqual("pages".utf8) {
                area.pages = try context.count(value, "pages=", on: line)
            } else if key.elementsEqual("phys".utf8) {
                area.physicalAddress = try context.hex(value, "phys= address", on: line)
            } else if key.first == UInt8(ascii: "N"), let node = Int(Substring(key.dropFirst())), node >= 0 {
                area.nodePages.append(NodePages(node: node, pages: try context.count(value, "\(Substring(key))=", on: line)))
            } else {
                throw context.failure(line, expected: "pages=, phys= or N<node>=", token: token)
            }
        } else if !token.isEmpty,
                  token.utf8.allSatisfy({ ($0 >= UInt8(ascii: "a") && $0 <= UInt8(ascii: "z")) || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }) {
            // A flag word; ones a later kernel adds are kept as printed.
            area.kinds.append(String(token))
        } else {
            throw context.failure(line, expected: "a kind word (vmalloc, vmap, ioremap, ...)", token: token)
        }
    }
}
