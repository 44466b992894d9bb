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
