/// One conversion of a print format (`%-8s`, `%lx`, `%pS`), as the kernel's vsnprintf reads it.
struct PrintSpec: Sendable {
    var leftAlign = false, zeroPad = false, plus = false, space = false, alternate = false
    /// -1 when absent; -2 when given by an argument (`*`).
    var width = -1
    var precision = -1
    /// Bytes of the integer argument: 1 (`hh`), 2 (`h`), 4 (none), 8 (`l`, `ll`, `L`, `z`, `j`, `t`).
    var length: UInt8 = 4
    /// The conversion letter: d i u x X o c s p %.
    var conversion: UInt8 = 0
    /// For `%p`: the extension letters after it (`S`, `s`, `B`, `K`, ...), the kernel's pointer formats.
    var pointerKind: UInt8 = 0

    /// Whether `%pS` / `%ps` / `%pB` / `%pF` / `%pf` (a symbol, with or without the offset).
    var isSymbol: Bool { conversion == 112 && [83, 115, 66, 70, 102].contains(pointerKind) }
    var symbolWithOffset: Bool { pointerKind == 83 || pointerKind == 66 || pointerKind == 70 }

    /// Reads a conversion that starts after the `%` at `i`; returns it and the index after it.
    static func parse(_ f: [UInt8], _ start: Int) throws(PrintFormatError) -> (PrintSpec, Int) {
        var s = PrintSpec(), i = start
        flags: while i < f.count {
            switch f[i] {
            case 45: s.leftAlign = true
            case 48: s.zeroPad = true
            case 43: s.plus = true
            case 32: s.space = true
            case 35: s.alternate = true
            default: break flags
            }
            i += 1
        }
        if i < f.count && f[i] == 42 { s.width = -2; i += 1 } else { s.width = number(f, &i) ?? -1 }
        if i < f.count && f[i] == 46 {
            i += 1
            if i < f.count && f[i] == 42 { s.precision = -2; i += 1 } else { s.precision = number(f, &i) ?? 0 }
        }
        while i < f.count, let l = lengthByte(f[i]) {
            s.length = f[i] == 104 && s.length == 2 ? 1 : l   // hh
            i += 1
        }
        guard i < f.count else { throw PrintFormatError("a % at the end of the format") }
        s.conversion = f[i]
        i += 1
        guard [100, 105, 117, 120, 88, 111, 99, 115, 112, 37].contains(s.conversion) else {
            throw PrintFormatError("the conversion %\(UnicodeScalar(s.conversion)) is not supported")
        }
        if s.conversion == 112 {
            // The kernel takes every letter or digit after %p as the pointer format's.
            if i < f.count && PrintLexer.isIdentifierStart(f[i]) { s.pointerKind = f[i] }
            while i < f.count && (PrintLexer.isIdentifierStart(f[i]) || PrintLexer.isDigit(f[i])) && f[i] != 95 { i += 1 }
        }
        return (s, i)
    }

    private static func number(_ f: [UInt8], _ i: inout Int) -> Int? {
        var v: Int?
        while i < f.count && PrintLexer.isDigit(f[i]) { v = (v ?? 0) * 10 + Int(f[i] - 48); i += 1 }
        return v
    }

    /// The size a length modifier gives (`h` 2, the others 8).
    private static func lengthByte(_ c: UInt8) -> UInt8? {
        switch c {
        case 104: 2                                   // h (hh handled by the caller)
        case 108, 76, 122, 90, 106, 116, 113: 8       // l L z Z j t q
        default: nil
        }
    }
}
