/// An event's format file (`events/<system>/<name>/format`, stored in the trace.dat): its id, its
/// fields with their offsets, and its print format.
struct EventFormat: Sendable {
    let system: String
    let name: String
    /// The `common_type` value of its records.
    let id: Int
    /// Every field, the common ones (`common_type`, `common_flags`, `common_preempt_count`,
    /// `common_pid`) first, as the file lists them.
    let fields: [EventField]
    /// The `print fmt:` line after the colon (`"fmt", args`), or nil when the file has none.
    let printFormat: String?

    /// A format with no fields and no print format (for an event whose format cannot be read).
    init(system: String, name: String, id: Int) {
        (self.system, self.name, self.id, fields, printFormat) = (system, name, id, [], nil)
    }

    /// The field called `name`.
    func field(_ name: String) -> EventField? { fields.first { $0.name == name } }

    /// Parses a format file.
    /// - Throws: a message (for the caller to place in a ``TraceInputError``) when the name, the id
    ///   or a field line cannot be read.
    init(parsing text: String, system: String) throws(EventFormatError) {
        self.system = system
        var name: String?, id: Int?, fields: [EventField] = [], printFormat: String?
        for line in text.split(separator: "\n", omittingEmptySubsequences: true) {
            let trimmed = line.drop { $0 == " " || $0 == "\t" }
            if trimmed.hasPrefix("name:") {
                name = String(trimmed.dropFirst(5).trimmingSpaces)
            } else if trimmed.hasPrefix("ID:") {
                id = Int(trimmed.dropFirst(3).trimmingSpaces)
                if id == nil { throw EventFormatError("expected a number after ID:, found \"\(trimmed.prefix(40))\"") }
            } else if trimmed.hasPrefix("field:") || trimmed.hasPrefix("field :") {
                fields.append(try EventFormat.field(trimmed))
            } else if trimmed.hasPrefix("print fmt:") {
                printFormat = String(trimmed.dropFirst(10).trimmingSpaces)
            }
        }
        guard let name, !name.isEmpty else { throw EventFormatError("expected a name: line") }
        guard let id else { throw EventFormatError("expected an ID: line in the format of \(name)") }
        self.name = name
        self.id = id
        self.fields = fields
        self.printFormat = printFormat
    }

    /// One `field:DECL; offset:N; size:N; signed:N;` line (the header page's `field: u64 timestamp;`
    /// lines have the same shape).
    static func field(_ line: Substring) throws(EventFormatError) -> EventField {
        var declaration = "", offset: Int?, size: Int?, signed = false
        for part in line.split(separator: ";") {
            let p = part.trimmingSpaces
            if p.hasPrefix("field:") || p.hasPrefix("field :") {
                declaration = String(p.drop { $0 != ":" }.dropFirst().trimmingSpaces)
            } else if p.hasPrefix("offset:") {
                offset = Int(p.dropFirst(7).trimmingSpaces)
            } else if p.hasPrefix("size:") {
                size = Int(p.dropFirst(5).trimmingSpaces)
            } else if p.hasPrefix("signed:") {
                signed = p.dropFirst(7).trimmingSpaces == "1"
            }
        }
        guard let offset, let size, offset >= 0, size >= 0, !declaration.isEmpty else {
            throw EventFormatError("expected field:, offset: and size: in \"\(line.prefix(80))\"")
        }
        let (name, type, count) = split(declaration)
        let layout: EventField.Layout
        if type.hasPrefix("__data_loc") {
            layout = .dataLoc
        } else if type.hasPrefix("__rel_loc") {
            layout = .relLoc
        } else if let count {
            layout = .array(count: count)
        } else {
            layout = .scalar
        }
        let bare = type.replacingPrefix("__data_loc ").replacingPrefix("__rel_loc ")
        return EventField(name: name, type: bare, offset: offset, size: size, isSigned: signed, layout: layout)
    }

    /// `unsigned long call_site` → (`call_site`, `unsigned long`, nil); `char comm[16]` → (`comm`,
    /// `char`, 16); `__data_loc char[] name` → (`name`, `__data_loc char[]`, nil).
    private static func split(_ declaration: String) -> (name: String, type: String, count: Int?) {
        var decl = Substring(declaration)
        var count: Int?
        if decl.hasSuffix("]"), let open = decl.lastIndex(of: "[") {
            count = Int(decl[decl.index(after: open)..<decl.index(before: decl.endIndex)].trimmingSpaces) ?? 0
            decl = decl[..<open].trimmingSpaces
        }
        let nameStart = decl.lastIndex { $0 == " " || $0 == "*" || $0 == "\t" }.map { decl.index(after: $0) } ?? decl.startIndex
        let name = String(decl[nameStart...])
        let type = String(decl[..<nameStart].trimmingSpaces)
        return (name, type, count)
    }
}

extension StringProtocol where SubSequence == Substring {
    /// Without leading and trailing spaces and tabs.
    var trimmingSpaces: Substring {
        let s = self[...]
        let start = s.firstIndex { $0 != " " && $0 != "\t" } ?? s.endIndex
        let end = s.lastIndex { $0 != " " && $0 != "\t" }.map { s.index(after: $0) } ?? start
        return s[start..<Swift.max(start, end)]
    }

    /// Without `prefix` when it starts with it.
    func replacingPrefix(_ prefix: String) -> String {
        hasPrefix(prefix) ? String(dropFirst(prefix.count)) : String(self)
    }
}
