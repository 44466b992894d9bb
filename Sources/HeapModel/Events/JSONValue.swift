/// A JSON scalar, encoded without Foundation.
enum JSONValue {
    case int(Int), string(String), bool(Bool), null

    var encoded: String {
        switch self {
        case .null: return "null"
        case .int(let n): return String(n)
        case .bool(let b): return b ? "true" : "false"
        case .string(let s): return jsonQuoted(s)
        }
    }
}
