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
