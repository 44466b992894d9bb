import Allocators
import HeapModel
import Operations

/// memtop's own trace format (`docs/trace-format.md`): a `# memtop trace v1` header, then one
/// ``Operation`` a line as `OP key=value ...`, `#` comments, blank lines, and a quoted text for
/// narration.
///
/// Each operation has a fixed list of keys (``NativeTraceFormat/keys``); a key it does not take,
/// a key given twice or a malformed value is an error at its line, never silently ignored.
public enum NativeTraceFormat {
    /// The header line every file starts with.
    public static let header = "# memtop trace v1"

    /// Parses one line (without its newline) with `kernel`'s GFP names; nil for blank lines and comments.
    /// - Throws: ``TraceInputError`` at `file:number` naming what was expected and what was found.
    public static func parse(_ line: Substring, number: Int, file: String, kernel: KernelVersion) throws(TraceInputError) -> Operation? {
        let text = line.drop { $0 == " " || $0 == "\t" }
        if text.isEmpty || text.hasPrefix("#") { return nil }
        do throws(LineError) {
            if text.contains("\u{FFFD}") { throw LineError("expected UTF-8 text, found bytes that are not") }
            let tokens = try Tokens(text)
            guard let schema = keys[tokens.op] else {
                throw LineError("expected an operation (\(keys.keys.sorted().joined(separator: ", "))), found \"\(tokens.op.prefix(40))\"")
            }
            for (key, _) in tokens.arguments where !schema.allowed.contains(key) {
                throw LineError("expected one of \(schema.allowed.joined(separator: ", ")) for \(tokens.op), found \"\(key)=\"")
            }
            var seen = Set<String>()
            for (key, _) in tokens.arguments where !seen.insert(key).inserted {
                throw LineError("expected \(key)= once for \(tokens.op), found it twice")
            }
            for key in schema.required where tokens.value(key) == nil {
                throw LineError("expected \(key)= for \(tokens.op), found \"\(text.prefix(60))\"")
            }
            return try Values(tokens: tokens, kernel: kernel).operation()
        } catch {
            throw TraceInputError(file: file, line: number, message: error.message)
        }
    }

    /// What is wrong with a line, before it gets its file and line number.
    struct LineError: Error {
        let message: String
        init(_ message: String) { self.message = message }
    }

    /// A line split into its operation name, `key=value` arguments and quoted text.
    struct Tokens {
        let op: String
        var arguments: [(String, String)] = []
        var text: String?

        init(_ line: Substring) throws(LineError) {
            op = String(line.prefix { $0 != " " && $0 != "\t" })
            var rest = line.dropFirst(op.count).drop { $0 == " " || $0 == "\t" }
            while !rest.isEmpty {
                if rest.first == "\"" {
                    let body = rest.dropFirst()
                    guard let close = body.firstIndex(of: "\"") else { throw LineError("expected a closing \" for the text, found the end of the line") }
                    guard text == nil else { throw LineError("expected one quoted text, found a second") }
                    text = String(body[..<close])
                    rest = body[body.index(after: close)...].drop { $0 == " " || $0 == "\t" }
                    continue
                }
                let token = rest.prefix { $0 != " " && $0 != "\t" }
                guard let eq = token.firstIndex(of: "="), eq != token.startIndex, token.index(after: eq) != token.endIndex else {
                    throw LineError("expected key=value, found \"\(token.prefix(40))\"")
                }
                let key = String(token[..<eq]), valueStart = token.index(after: eq)
                if token[valueStart] == "\"" {
                    // key="a value with spaces"
                    let body = rest[rest.index(after: valueStart)...]
                    guard let close = body.firstIndex(of: "\"") else { throw LineError("expected a closing \" for \(key)=, found the end of the line") }
                    arguments.append((key, String(body[..<close])))
                    rest = body[body.index(after: close)...].drop { $0 == " " || $0 == "\t" }
                    continue
                }
                arguments.append((key, String(token[valueStart...])))
                rest = rest.dropFirst(token.count).drop { $0 == " " || $0 == "\t" }
            }
        }

        func value(_ key: String) -> String? { arguments.first { $0.0 == key }?.1 }
    }
}
