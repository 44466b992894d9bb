/// One node of a print-format argument, a C expression over the record's fields as the kernel
/// writes them in `print fmt:` (`REC->pfn != -1UL ? REC->pfn : 0`, `__print_flags(...)`,
/// `(void *)REC->call_site`). Nodes live in a flat array and refer to each other by index, so
/// evaluating one allocates nothing.
struct PrintNode: Sendable {
    enum Op: UInt8, Sendable {
        /// `value`.
        case constant
        /// String literal `value` of the program's pool.
        case string
        /// `REC->field`, field `value` of the program's table.
        case field
        /// `__get_str(field)`, `__get_dynamic_array(field)`: the text of data_loc field `value`.
        case dataText
        case negate, not, complement
        case multiply, divide, remainder, add, subtract, shiftLeft, shiftRight
        case less, lessEqual, greater, greaterEqual, equal, notEqual
        case bitAnd, bitXor, bitOr, logicalAnd, logicalOr
        /// `a ? b : c`.
        case conditional
        /// `(type)a`: truncated to `size` bytes, sign-extended when `signed`; `pointee` is the size
        /// of what a pointer type points at (`struct page *`: 64), for pointer arithmetic.
        case cast
        /// `__print_flags(a, delimiter, table)`: `value` is the table's index.
        case flags
        /// `__print_symbolic(a, table)`.
        case symbolic
    }

    var op: Op
    var a: Int32 = -1, b: Int32 = -1, c: Int32 = -1
    var value: UInt64 = 0
    var size: UInt8 = 8
    var signed = false
    var pointee: UInt32 = 0
}

extension PrintNode.Op {
    /// Binary operators by C precedence (higher binds tighter), for the parser.
    static func binary(_ token: String) -> (op: PrintNode.Op, precedence: Int)? {
        switch token {
        case "*": (.multiply, 10)
        case "/": (.divide, 10)
        case "%": (.remainder, 10)
        case "+": (.add, 9)
        case "-": (.subtract, 9)
        case "<<": (.shiftLeft, 8)
        case ">>": (.shiftRight, 8)
        case "<": (.less, 7)
        case "<=": (.lessEqual, 7)
        case ">": (.greater, 7)
        case ">=": (.greaterEqual, 7)
        case "==": (.equal, 6)
        case "!=": (.notEqual, 6)
        case "&": (.bitAnd, 5)
        case "^": (.bitXor, 4)
        case "|": (.bitOr, 3)
        case "&&": (.logicalAnd, 2)
        case "||": (.logicalOr, 1)
        default: nil
        }
    }

    /// `a op b` on numbers, in C's unsigned or signed 64-bit arithmetic.
    func apply(_ x: PrintValue, _ y: PrintValue) -> PrintValue {
        let a = x.number, b = y.number, signed = x.signed && y.signed
        let sa = Int64(bitPattern: a), sb = Int64(bitPattern: b)
        func bool(_ v: Bool) -> PrintValue { .int(v ? 1 : 0, signed: true) }
        switch self {
        case .multiply: return .int(a &* b, signed: signed)
        case .divide: return b == 0 ? .int(0) : .int(signed ? UInt64(bitPattern: sa / (sb == -1 && sa == .min ? 1 : sb)) : a / b, signed: signed)
        case .remainder: return b == 0 ? .int(0) : .int(signed ? UInt64(bitPattern: sb == -1 ? 0 : sa % sb) : a % b, signed: signed)
        case .add:
            if x.pointee > 0 { return PrintValue(number: a &+ b &* UInt64(x.pointee), pointee: x.pointee) }
            return .int(a &+ b, signed: signed)
        case .subtract:
            if x.pointee > 0 { return PrintValue(number: a &- b &* UInt64(x.pointee), pointee: x.pointee) }
            return .int(a &- b, signed: signed)
        case .shiftLeft: return .int(b >= 64 ? 0 : a << b, signed: x.signed)
        case .shiftRight: return .int(b >= 64 ? 0 : (x.signed ? UInt64(bitPattern: sa >> Int64(b)) : a >> b), signed: x.signed)
        case .less: return bool(signed ? sa < sb : a < b)
        case .lessEqual: return bool(signed ? sa <= sb : a <= b)
        case .greater: return bool(signed ? sa > sb : a > b)
        case .greaterEqual: return bool(signed ? sa >= sb : a >= b)
        case .equal: return bool(a == b)
        case .notEqual: return bool(a != b)
        case .bitAnd: return .int(a & b, signed: signed)
        case .bitXor: return .int(a ^ b, signed: signed)
        case .bitOr: return .int(a | b, signed: signed)
        case .logicalAnd: return bool(x.truth && y.truth)
        case .logicalOr: return bool(x.truth || y.truth)
        default: return .int(0)
        }
    }
}
