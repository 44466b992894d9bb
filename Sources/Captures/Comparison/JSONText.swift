/// JSON text for strings and numbers.
enum JSONText {
    /// `s` as a JSON string: quotes, backslashes and control characters escaped (RFC 8259 §7).
    static func string(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// An array of JSON strings.
    static func array(_ items: [String]) -> String { "[" + items.map(string).joined(separator: ", ") + "]" }

    /// A finite number; non-finite values (which JSON cannot hold) become null.
    static func number(_ value: Double) -> String { value.isFinite ? "\(value)" : "null" }
}
