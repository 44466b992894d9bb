/// One field of an event record, as the event's format file describes it.
struct EventField: Sendable, Equatable {
    /// How the field's bytes are laid out.
    enum Layout: Sendable, Equatable {
        /// A number of `size` bytes (1, 2, 4 or 8).
        case scalar
        /// A fixed array, `char comm[16]`: `size` bytes of `count` elements.
        case array(count: Int)
        /// `__data_loc T[] name`: a 32-bit word, offset (low 16 bits, from the record's start) and
        /// length (high 16 bits) of the data elsewhere in the record.
        case dataLoc
        /// `__rel_loc T[] name`: the same, with the offset counted from the end of the word.
        case relLoc
    }

    let name: String
    /// The declaration without the name, `unsigned long`, `const void *`, `char[]`.
    let type: String
    let offset: Int
    let size: Int
    let isSigned: Bool
    let layout: Layout

    /// Whether the field holds text (`char` arrays, fixed or dynamic).
    var isText: Bool {
        switch layout {
        case .scalar: false
        case .array, .dataLoc, .relLoc: type.hasPrefix("char") || type.hasPrefix("const char") || type.contains(" char")
        }
    }

    /// Whether the type is a pointer (`const void *`).
    var isPointer: Bool { type.contains("*") }
}

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

/// A format file as the trace.dat stores it, with only its name and id read: a trace-cmd
/// extract stores every event of the kernel (over a thousand), and only those met in the data are
/// parsed, when they are first met.
struct StoredFormat: Sendable {
    let system: String
    let name: String
    let id: Int
    let text: [UInt8]

    /// Reads the `name:` and `ID:` lines at the start of a format file.
    /// - Throws: a message when either is missing or the id is not a number.
    init(_ bytes: UnsafeRawBufferPointer, system: String) throws(EventFormatError) {
        self.system = system
        text = Array(bytes)
        var name: String?, id: Int?
        var i = 0
        while i < text.count && (name == nil || id == nil) {
            var end = i
            while end < text.count && text[end] != 10 { end += 1 }
            let line = text[i..<end].drop { $0 == 32 || $0 == 9 }
            if line.starts(with: Array("name:".utf8)) {
                name = String(decoding: line.dropFirst(5), as: UTF8.self).trimmingSpaces.description
            } else if line.starts(with: Array("ID:".utf8)) {
                id = Int(String(decoding: line.dropFirst(3), as: UTF8.self).trimmingSpaces)
                if id == nil { throw EventFormatError("expected a number after ID:, found \"\(String(decoding: line.prefix(40), as: UTF8.self))\"") }
            }
            i = end + 1
        }
        guard let name, !name.isEmpty else { throw EventFormatError("expected a name: line") }
        guard let id else { throw EventFormatError("expected an ID: line in the format of \(name)") }
        (self.name, self.id) = (name, id)
    }

    /// The whole format.
    func parse() throws(EventFormatError) -> EventFormat {
        try EventFormat(parsing: String(decoding: text, as: UTF8.self), system: system)
    }
}

/// Why a format file could not be read (placed in a ``TraceInputError`` by the caller).
struct EventFormatError: Error {
    let message: String
    init(_ message: String) { self.message = message }
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
