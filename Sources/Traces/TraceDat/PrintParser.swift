/// Parses the arguments of a print format into ``PrintNode``s: C expressions over `REC->field`,
/// casts, `?:`, and the trace helpers `__print_flags`, `__print_symbolic` and `__get_str`.
struct PrintParser {
    private let tokens: [PrintToken]
    private var at = 0
    private let format: EventFormat
    private(set) var nodes: [PrintNode] = []
    private(set) var strings: [[UInt8]] = []
    private(set) var tables: [FlagTable] = []
    /// Fields the expressions read, as indices into the format's fields.
    private(set) var fields: [Int] = []

    init(_ tokens: [PrintToken], format: EventFormat) {
        self.tokens = tokens
        self.format = format
    }

    private var current: PrintToken? { at < tokens.count ? tokens[at] : nil }

    private mutating func take(_ p: String) -> Bool {
        guard current == .punctuation(p) else { return false }
        at += 1
        return true
    }

    private mutating func expect(_ p: String) throws(PrintFormatError) {
        guard take(p) else { throw PrintFormatError("expected \(p) at token \(at)") }
    }

    private mutating func add(_ n: PrintNode) -> Int32 { appendNode(n) }

    /// Adds a node; returns its index.
    mutating func appendNode(_ n: PrintNode) -> Int32 {
        nodes.append(n)
        return Int32(nodes.count - 1)
    }

    /// The format string, then the arguments after it.
    mutating func parse() throws(PrintFormatError) -> (format: [UInt8], arguments: [Int32]) {
        guard case .string(let text)? = current else { throw PrintFormatError("expected the format string first") }
        at += 1
        var arguments: [Int32] = []
        while take(",") { arguments.append(try expression()) }
        guard at == tokens.count else { throw PrintFormatError("unexpected token \(tokens[at]) after the arguments") }
        return (text, arguments)
    }

    mutating func expression() throws(PrintFormatError) -> Int32 {
        let condition = try binary(1)
        guard take("?") else { return condition }
        let yes = try expression()
        try expect(":")
        let no = try expression()
        return add(PrintNode(op: .conditional, a: condition, b: yes, c: no))
    }

    private mutating func binary(_ minimum: Int) throws(PrintFormatError) -> Int32 {
        var left = try unary()
        while case .punctuation(let p)? = current, let (op, precedence) = PrintNode.Op.binary(p), precedence >= minimum {
            at += 1
            let right = try binary(precedence + 1)
            left = add(PrintNode(op: op, a: left, b: right))
        }
        return left
    }

    private mutating func unary() throws(PrintFormatError) -> Int32 {
        if take("!") { return add(PrintNode(op: .not, a: try unary())) }
        if take("~") { return add(PrintNode(op: .complement, a: try unary())) }
        if take("-") { return add(PrintNode(op: .negate, a: try unary())) }
        if take("+") { return try unary() }
        if current == .punctuation("("), let type = castType() {
            let operand = try unary()
            return add(PrintNode(op: .cast, a: operand, size: type.size, signed: type.signed, pointee: type.pointee))
        }
        return try postfix(try primary())
    }

    private mutating func postfix(_ base: Int32) throws(PrintFormatError) -> Int32 {
        if current == .punctuation("[") || current == .punctuation("->") || current == .punctuation(".") {
            throw PrintFormatError("indexing, or a member of something other than REC, is not supported")
        }
        return base
    }

    private mutating func primary() throws(PrintFormatError) -> Int32 {
        guard let token = current else { throw PrintFormatError("expected an operand at the end") }
        at += 1
        switch token {
        case .number(let v, let unsigned):
            return add(PrintNode(op: .constant, value: v, signed: !unsigned))
        case .string(let s):
            strings.append(s)
            return add(PrintNode(op: .string, value: UInt64(strings.count - 1)))
        case .punctuation("("):
            let inner = try expression()
            try expect(")")
            return inner
        case .identifier("REC"):
            guard take("->"), case .identifier(let name)? = current else { throw PrintFormatError("expected REC->field") }
            at += 1
            return add(PrintNode(op: .field, value: UInt64(try field(name))))
        case .identifier(let name) where current == .punctuation("("):
            return try call(name)
        case .identifier(let name):
            // A kernel variable or constant the print format names (`vmemmap_base`).
            return add(PrintNode(op: .constant, value: PrintParser.knownSymbols[name] ?? 0))
        default:
            throw PrintFormatError("unexpected \(token)")
        }
    }

    /// Values of kernel variables some print formats use: x86-64's `vmemmap_base` is the
    /// randomised base of the `struct page` array, not in the trace.dat; the non-randomised default
    /// stands in, so that `page=` prints a plausible, non-NULL address (memtop reads `pfn=`).
    static let knownSymbols: [String: UInt64] = ["vmemmap_base": 0xffff_ea00_0000_0000]

    private mutating func field(_ name: String) throws(PrintFormatError) -> Int {
        guard let index = format.fields.firstIndex(where: { $0.name == name }) else {
            throw PrintFormatError("REC->\(name) is not a field of \(format.name)")
        }
        fields.append(index)
        return index
    }

    private mutating func call(_ name: String) throws(PrintFormatError) -> Int32 {
        try expect("(")
        switch name {
        case "__get_str", "__get_dynamic_array", "__get_rel_str", "__get_rel_dynamic_array":
            guard case .identifier(let f)? = current else { throw PrintFormatError("expected a field name in \(name)") }
            at += 1
            try expect(")")
            return add(PrintNode(op: .dataText, value: UInt64(try field(f))))
        case "__print_flags", "__print_symbolic":
            let value = try expression()
            var table = FlagTable()
            if name == "__print_flags" {
                try expect(",")
                guard case .string(let d)? = current else { throw PrintFormatError("expected the flags delimiter") }
                at += 1
                table.delimiter = d
            }
            while take(",") {
                try expect("{")
                let v = try expression()
                try expect(",")
                guard case .string(let n)? = current else { throw PrintFormatError("expected a flag name") }
                at += 1
                try expect("}")
                table.entries.append((try constant(v), n))
            }
            try expect(")")
            table.isGFP = table.entries.contains { $0.name == Array("GFP_KERNEL".utf8) }
            tables.append(table)
            return add(PrintNode(op: name == "__print_flags" ? .flags : .symbolic, a: value, value: UInt64(tables.count - 1)))
        default:
            throw PrintFormatError("the helper \(name)() is not supported")
        }
    }

    /// The value of an expression without fields (a flag table's entry).
    private func constant(_ node: Int32) throws(PrintFormatError) -> UInt64 {
        let n = nodes[Int(node)]
        switch n.op {
        case .constant: return n.value
        case .cast: return PrintNode.truncate(try constant(n.a), size: n.size, signed: n.signed)
        case .negate: return 0 &- (try constant(n.a))
        case .complement: return ~(try constant(n.a))
        case .field, .dataText, .string, .conditional, .flags, .symbolic, .not: throw PrintFormatError("a flag value that is not constant")
        default: return n.op.apply(.int(try constant(n.a)), .int(try constant(n.b))).number
        }
    }

    /// When the tokens at `at` are `( type )`, moves past them and returns the type's size, sign
    /// and pointee size; otherwise leaves `at` alone.
    private mutating func castType() -> (size: UInt8, signed: Bool, pointee: UInt32)? {
        var j = at + 1, words: [String] = [], pointer = false
        while j < tokens.count {
            switch tokens[j] {
            case .identifier(let w): words.append(w)
            case .punctuation("*"): pointer = true
            case .punctuation(")"):
                guard let type = CType(words: words, pointer: pointer) else { return nil }
                at = j + 1
                return (type.size, type.signed, type.pointee)
            default: return nil
            }
            j += 1
        }
        return nil
    }
}

extension PrintNode {
    /// `v` as a C value of `size` bytes: truncated, and sign-extended when signed.
    static func truncate(_ v: UInt64, size: UInt8, signed: Bool) -> UInt64 {
        guard size < 8 else { return v }
        let bits = UInt64(size) * 8
        let masked = v & ((1 << bits) - 1)
        if signed && masked >> (bits - 1) & 1 == 1 { return masked | ~((1 << bits) - 1) }
        return masked
    }
}
