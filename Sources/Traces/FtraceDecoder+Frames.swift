extension FtraceDecoder {
    /// One call-chain line of `perf script -g`: a tab, spaces, the address in hex, a space, the
    /// symbol (`sym+0xoff`, or `[unknown]`), and the object in parentheses (`([kernel.kallsyms])`,
    /// `(/usr/lib/x86_64-linux-gnu/libc.so.6)`); perf leaves the object out when asked to.
    /// A kernel frame is named by its symbol alone, any other by symbol and object.
    mutating func frame(_ l: ByteLine, line: Int) -> DecodedLine {
        var d = DecodedLine(kind: .frame, line: line)
        let bytes = l.bytes, n = bytes.count
        var i = 1
        while i < n && bytes[i] == ByteLine.space { i += 1 }
        let addressStart = i
        guard let address = l.hexValue(at: &i), i - addressStart <= 16, i + 1 < n, bytes[i] == ByteLine.space else {
            return malformed(d, l, "a call-chain frame (TAB ADDRESS SYMBOL (OBJECT))")
        }
        d.address = address
        let symbolStart = i + 1
        var nameEnd = n, symbolEnd = n, kernel = true
        // The object is the last parenthesised word: `sym+0x1b ([kernel.kallsyms])`.
        if bytes[n - 1] == UInt8(ascii: ")"), let open = lastOpenParen(bytes, before: n - 1), open > symbolStart {
            symbolEnd = open - 1
            // [kernel.kallsyms] or a module's [name]; `([unknown])` is a user address perf could not map.
            kernel = bytes[open + 1] == ByteLine.open && !(n - 1 - open == 10 && bytes[open + 2] == UInt8(ascii: "u"))
            if kernel { nameEnd = symbolEnd }
        }
        guard symbolEnd > symbolStart, bytes[symbolStart] != ByteLine.space else {
            return malformed(d, l, "a symbol after the frame's address")
        }
        d.setSite(symbolStart..<nameEnd, in: l)
        d.a = kernel ? 1 : 0
        d.b = bytes[symbolStart] == ByteLine.open ? 1 : 0   // `[unknown]`
        return d
    }

    /// The index of ` (` that opens the parenthesis closing at `close`, if any.
    private func lastOpenParen(_ bytes: UnsafeBufferPointer<UInt8>, before close: Int) -> Int? {
        var k = close - 1
        while k > 0 {
            if bytes[k] == UInt8(ascii: "(") && bytes[k - 1] == ByteLine.space { return k }
            k -= 1
        }
        return nil
    }

    private mutating func malformed(_ d: DecodedLine, _ l: ByteLine, _ what: String) -> DecodedLine {
        var d = d
        let text = String(decoding: l.bytes, as: UTF8.self).dropFirst()
        d.error = Int32(errors.count)
        errors.append(TraceInputError(file: file, line: d.line, message: "expected \(what), found \"\(text.prefix(60))\""))
        return d
    }
}
