/// A C type named in a cast, as far as printing needs it: its size, its sign, and for a pointer
/// the size of what it points at (`struct page *` steps by 64 bytes, x86-64's `struct page`).
struct CType {
    let size: UInt8
    let signed: Bool
    let pointee: UInt32

    private static let integerWords: Set<String> = [
        "unsigned", "signed", "char", "short", "int", "long", "void", "bool", "_Bool", "struct", "union", "enum",
        "const", "volatile", "float", "double",
    ]

    /// The type spelled by `words` (and a `*`), or nil when the words do not look like a type
    /// (then the parentheses are an expression's, `(vmemmap_base)`).
    init?(words: [String], pointer: Bool) {
        guard let first = words.first, words.allSatisfy({ !$0.isEmpty }) else { return nil }
        let typeLike = CType.integerWords.contains(first) || first.hasSuffix("_t") || CType.sized(first) != nil
        guard typeLike else { return nil }
        if pointer {
            size = 8
            signed = false
            pointee = words == ["struct", "page"] ? 64 : 1
            return
        }
        pointee = 0
        let unsigned = words.contains("unsigned")
        if let (bytes, isSigned) = words.lazy.compactMap(CType.sized).first {
            (size, signed) = (bytes, isSigned)
        } else if words.contains("char") {
            (size, signed) = (1, !unsigned)
        } else if words.contains("short") {
            (size, signed) = (2, !unsigned)
        } else if words.contains("long") {
            (size, signed) = (8, !unsigned)
        } else if words.contains("bool") || words.contains("_Bool") {
            (size, signed) = (1, false)
        } else if words.contains("int") || words == ["unsigned"] || words == ["signed"] {
            (size, signed) = (4, !unsigned)
        } else if ["gfp_t", "pid_t", "uid_t", "gid_t"].contains(first) {
            (size, signed) = (4, first == "pid_t")
        } else {
            (size, signed) = (8, !(first.hasPrefix("u") || first == "size_t" || first.hasPrefix("__u")))
        }
    }

    /// `u8`...`s64`, `__u32` and the like.
    private static func sized(_ w: String) -> (UInt8, Bool)? {
        let s = w.hasPrefix("__") ? w.dropFirst(2) : Substring(w)
        guard let kind = s.first, kind == "u" || kind == "s", let bits = Int(s.dropFirst()), [8, 16, 32, 64].contains(bits) else { return nil }
        return (UInt8(bits / 8), kind == "s")
    }
}
