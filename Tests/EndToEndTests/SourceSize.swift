/// The size of one Swift source text as the house style limits it: its lines, and the lines of each
/// function-like body (a `func`, `init`, `deinit` or `subscript`, and a `var` or `let` whose body or
/// initialiser is a brace block: a computed property, observers, a closure), counted from the line
/// its declaration starts on to the line of its closing brace.
///
/// Braces are matched on the code alone: comments (`//`, nested `/* */`) and string literals
/// (`"…"`, `"""…"""`, raw `#"…"#`) are blanked first, while the code of an interpolation `\(…)`
/// stays code, strings inside it included. A declaration is the statement that ends at a body's
/// `{`: it runs back to the previous `{`, `}` or `;`, to an unclosed `(` or `[`, or to a line
/// break outside brackets (unless the next line goes on with `->`, `where`, `throws` or `async`).
struct SourceSize {
    /// One function-like body.
    struct Body: Equatable, CustomStringConvertible {
        /// The declared name (`init`, `deinit` and `subscript` for those).
        var name: String
        /// The 1-based line its declaration starts on.
        var line: Int
        /// Its lines, declaration to closing brace.
        var lines: Int

        /// `name (line L, N lines)`.
        var description: String { "\(name) (line \(line), \(lines) lines)" }
    }

    /// The lines of the text (a last line without its newline counts).
    let lines: Int
    /// Every function-like body, in the order their closing braces appear.
    let bodies: [Body]

    /// Measures `text`.
    init(scanning text: String) {
        let code = SourceSize.blankingCommentsAndStrings(Array(text.utf8))
        var newlines = 0
        for c in code where c == UInt8(ascii: "\n") { newlines += 1 }
        lines = newlines + (code.last.map { $0 == UInt8(ascii: "\n") ? 0 : 1 } ?? 0)
        bodies = SourceSize.bodies(in: code)
    }

    /// The text with every comment and string literal byte turned into a space (newlines kept), so
    /// that only code is left; interpolated code inside strings is kept.
    static func blankingCommentsAndStrings(_ bytes: [UInt8]) -> [UInt8] {
        var scanner = LiteralScanner(bytes)
        scanner.run()
        return scanner.out
    }

    /// The function-like bodies of blanked code.
    static func bodies(in code: [UInt8]) -> [Body] {
        var open: [(name: String, line: Int)?] = []
        var found: [Body] = []
        var line = 1
        for (i, c) in code.enumerated() {
            switch c {
            case UInt8(ascii: "\n"): line += 1
            case UInt8(ascii: "{"): open.append(declaration(before: i, in: code, line: line))
            case UInt8(ascii: "}"):
                if let decl = open.popLast(), let decl { found.append(Body(name: decl.name, line: decl.line, lines: line - decl.line + 1)) }
            default: break
            }
        }
        return found
    }

    /// The function-like declaration whose body opens at `brace` (on line `line`), or nil when the
    /// brace opens something else (a type, a statement, a closure argument).
    static func declaration(before brace: Int, in code: [UInt8], line: Int) -> (name: String, line: Int)? {
        var depth = 0, i = brace - 1, startLine = line
        scan: while i >= 0 {
            switch code[i] {
            case UInt8(ascii: ")"), UInt8(ascii: "]"): depth += 1
            case UInt8(ascii: "("), UInt8(ascii: "["):
                if depth == 0 { break scan }
                depth -= 1
            case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: ";"):
                if depth == 0 { break scan }
            case UInt8(ascii: "\n"):
                if depth == 0 && !continues(String(decoding: code[(i + 1)..<brace], as: UTF8.self)) { break scan }
                startLine -= 1
            default: break
            }
            i -= 1
        }
        let header = String(decoding: code[(i + 1)..<brace], as: UTF8.self)
        // Lines above the statement's first token (blank ones) do not belong to it.
        let leading = header.prefix { $0 == " " || $0 == "\n" || $0 == "\t" }
        startLine += leading.filter { $0 == "\n" }.count
        return declaredName(header.dropFirst(leading.count)).map { ($0, startLine) }
    }

    /// Whether the statement text from a line break on is the tail of the line before's declaration.
    static func continues(_ rest: String) -> Bool {
        let t = rest.drop { $0 == " " || $0 == "\t" }
        return ["->", "where ", "throws", "rethrows", "async"].contains { t.hasPrefix($0) }
    }

    /// `header` without its leading attributes (`@inlinable`, `@available(*, deprecated)`).
    static func withoutAttributes(_ header: Substring) -> Substring {
        var rest = header.drop { $0.isWhitespace }
        while rest.first == "@" {
            rest = rest.dropFirst().drop { $0.isLetter || $0.isNumber || $0 == "_" }
            if rest.first == "(" {
                var depth = 0
                while let c = rest.first {
                    rest = rest.dropFirst()
                    if c == "(" { depth += 1 } else if c == ")" { depth -= 1; if depth == 0 { break } }
                }
            }
            rest = rest.drop { $0.isWhitespace }
        }
        return rest
    }

    /// Words that may come before a declaration's keyword.
    static let modifiers: Set<Substring> = ["public", "private", "fileprivate", "internal", "package", "open", "static",
                                            "class", "final", "override", "mutating", "nonmutating", "convenience",
                                            "required", "lazy", "weak", "unowned", "nonisolated", "dynamic", "indirect",
                                            "optional", "consuming", "borrowing"]

    /// The name a function-like declaration declares, or nil when `header` is not one.
    static func declaredName(_ header: Substring) -> String? {
        var words = withoutAttributes(header).split { $0 == " " || $0 == "\n" || $0 == "\t" }[...]
        while let w = words.first, modifiers.contains(w.prefix { $0 != "(" }) { words = words.dropFirst() }
        guard let keyword = words.first else { return nil }
        let name = words.dropFirst().first.map { String($0.prefix { $0.isLetter || $0.isNumber || $0 == "_" }) } ?? ""
        switch keyword.prefix(while: { $0.isLetter }) {
        case "init", "deinit", "subscript": return String(keyword.prefix(while: { $0.isLetter }))
        case "func", "var", "let": return keyword.count == keyword.prefix(while: { $0.isLetter }).count ? name : nil
        default: return nil
        }
    }
}

/// Walks Swift source bytes, copying code and blanking comments and string literals.
private struct LiteralScanner {
    /// Where the scanner is: code (inside an interpolation, with its open parentheses), a string
    /// (with its raw `#` count), or a block comment (with its nesting).
    enum Context {
        case code(interpolationDepth: Int?)
        case string(hashes: Int, multiline: Bool)
        case blockComment(depth: Int)
    }

    let bytes: [UInt8]
    var out: [UInt8]
    var i = 0
    var stack: [Context] = [.code(interpolationDepth: nil)]

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
        out = bytes
    }

    func at(_ k: Int) -> UInt8 { k < bytes.count ? bytes[k] : 0 }

    /// Blanks `n` bytes from `i` (newlines stay) and moves past them.
    mutating func blank(_ n: Int) {
        for k in i..<min(i + n, bytes.count) where bytes[k] != UInt8(ascii: "\n") { out[k] = UInt8(ascii: " ") }
        i += n
    }

    /// How many `#` follow position `k`.
    func hashes(from k: Int) -> Int {
        var n = 0
        while at(k + n) == UInt8(ascii: "#") { n += 1 }
        return n
    }

    /// Whether a string's closing quote(s) and `hashes` `#`s start at `i`.
    func closes(hashes: Int, multiline: Bool) -> Bool {
        let quotes = multiline ? 3 : 1
        for k in 0..<quotes where at(i + k) != UInt8(ascii: "\"") { return false }
        return self.hashes(from: i + quotes) >= hashes
    }

    mutating func run() {
        while i < bytes.count {
            switch stack[stack.count - 1] {
            case .code(let depth): code(interpolationDepth: depth)
            case .string(let hashes, let multiline): string(hashes: hashes, multiline: multiline)
            case .blockComment(let depth): comment(depth: depth)
            }
        }
    }

    mutating func code(interpolationDepth depth: Int?) {
        let c = bytes[i]
        if c == UInt8(ascii: "/") && at(i + 1) == UInt8(ascii: "/") {
            while i < bytes.count && bytes[i] != UInt8(ascii: "\n") { blank(1) }
        } else if c == UInt8(ascii: "/") && at(i + 1) == UInt8(ascii: "*") {
            stack.append(.blockComment(depth: 1)); blank(2)
        } else if c == UInt8(ascii: "\"") || (c == UInt8(ascii: "#") && at(i + hashes(from: i)) == UInt8(ascii: "\"")) {
            let n = hashes(from: i)
            let multiline = at(i + n + 1) == UInt8(ascii: "\"") && at(i + n + 2) == UInt8(ascii: "\"")
            stack.append(.string(hashes: n, multiline: multiline)); blank(n + (multiline ? 3 : 1))
        } else if let depth, c == UInt8(ascii: "(") {
            stack[stack.count - 1] = .code(interpolationDepth: depth + 1); i += 1
        } else if let depth, c == UInt8(ascii: ")") {
            if depth == 0 { stack.removeLast(); blank(1) } else { stack[stack.count - 1] = .code(interpolationDepth: depth - 1); i += 1 }
        } else {
            i += 1
        }
    }

    mutating func string(hashes n: Int, multiline: Bool) {
        let c = bytes[i]
        if c == UInt8(ascii: "\\") && hashes(from: i + 1) >= n {
            if at(i + 1 + n) == UInt8(ascii: "(") {
                blank(n + 2); stack.append(.code(interpolationDepth: 0))
            } else {
                blank(n + 2)  // an escape: the backslash, the hashes and the escaped character
            }
        } else if c == UInt8(ascii: "\"") && closes(hashes: n, multiline: multiline) {
            stack.removeLast(); blank((multiline ? 3 : 1) + n)
        } else if c == UInt8(ascii: "\n") && !multiline {
            stack.removeLast(); i += 1  // an unterminated literal ends with its line
        } else {
            blank(1)
        }
    }

    mutating func comment(depth: Int) {
        if bytes[i] == UInt8(ascii: "/") && at(i + 1) == UInt8(ascii: "*") {
            stack[stack.count - 1] = .blockComment(depth: depth + 1); blank(2)
        } else if bytes[i] == UInt8(ascii: "*") && at(i + 1) == UInt8(ascii: "/") {
            if depth == 1 { stack.removeLast() } else { stack[stack.count - 1] = .blockComment(depth: depth - 1) }
            blank(2)
        } else {
            blank(1)
        }
    }
}
