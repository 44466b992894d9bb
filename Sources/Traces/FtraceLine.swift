/// One line of ftrace's `trace` or `trace_pipe` text, split into its parts without copying.
///
/// Layout (`trace_print_context()`): `COMM-PID [CPU] FLAGS TIMESTAMP: EVENT: BODY`, with an
/// optional `(TGID)` after the pid. Header lines start with `#`; a dropped-events notice reads
/// `CPU:N [LOST M EVENTS]`.
public struct FtraceLine {
    /// What kind of line it is.
    public enum Kind: Equatable {
        /// A header or comment line, or an empty one.
        case comment
        /// `CPU:N [LOST M EVENTS]`.
        case lost(Int)
        /// An event.
        case event
    }

    /// The line's kind.
    public let kind: Kind
    /// The CPU number (events only).
    public let cpu: Int
    /// The pid (events only).
    public let pid: Int
    /// The event name, e.g. `kmalloc` or `kp_vmalloc`.
    public let event: Substring
    /// Everything after `EVENT: `.
    public let body: Substring

    /// Parses one line; nil when it is not in ftrace's layout.
    public init?(_ text: Substring) {
        let bytes = text.utf8
        if bytes.isEmpty || bytes.first == UInt8(ascii: "#") {
            self.init(kind: .comment)
            return
        }
        if text.hasPrefix("CPU:"), let lost = text.split(separator: " ").dropFirst().first, lost == "[LOST" {
            let n = text.split(separator: " ").dropFirst(2).first.flatMap { Int($0) } ?? 0
            self.init(kind: .lost(n))
            return
        }
        // The CPU field: the first "[digits]".
        var i = text.startIndex
        var cpu = -1, cpuEnd = text.startIndex
        while let open = text[i...].firstIndex(of: "[") {
            let afterOpen = text.index(after: open)
            if let close = text[afterOpen...].firstIndex(of: "]"), close > afterOpen,
               text[afterOpen..<close].allSatisfy({ $0.isASCII && $0.isNumber }), let n = Int(text[afterOpen..<close]) {
                cpu = n
                cpuEnd = text.index(after: close)
                // comm-pid before it: the pid is the digits after the last '-' before "(tgid)" or '['.
                var head = text[text.startIndex..<open].trimmingTrailingSpaces()
                if head.hasSuffix(")"), let paren = head.lastIndex(of: "(") { head = head[..<paren].trimmingTrailingSpaces() }
                let pid = head.lastIndex(of: "-").flatMap { Int(head[head.index(after: $0)...].trimmingTrailingSpaces()) } ?? -1
                // After the CPU: flags, timestamp, "EVENT: BODY".
                let rest = text[cpuEnd...]
                guard let colon = rest.firstIndex(of: ":") else { return nil }
                let afterTimestamp = rest[rest.index(after: colon)...].drop { $0 == " " }
                guard let nameEnd = afterTimestamp.firstIndex(of: ":") else { return nil }
                let event = afterTimestamp[..<nameEnd]
                guard !event.isEmpty, !event.contains(" ") else { return nil }
                let body = afterTimestamp[afterTimestamp.index(after: nameEnd)...].drop { $0 == " " }
                self.init(kind: .event, cpu: cpu, pid: pid, event: event, body: body)
                return
            }
            i = afterOpen
        }
        return nil
    }

    init(kind: Kind, cpu: Int = -1, pid: Int = -1, event: Substring = "", body: Substring = "") {
        self.kind = kind
        self.cpu = cpu
        self.pid = pid
        self.event = event
        self.body = body
    }

    /// The value of `key=` in the body (the first one), or nil.
    public func field(_ key: String) -> Substring? {
        var rest = body[...]
        while !rest.isEmpty {
            let token = rest.prefix { $0 != " " }
            if token.count > key.count, token.hasPrefix(key), token[token.index(token.startIndex, offsetBy: key.count)] == "=" {
                return token.dropFirst(key.count + 1)
            }
            rest = rest.dropFirst(token.count).drop { $0 == " " }
        }
        return nil
    }
}

extension Substring {
    func trimmingTrailingSpaces() -> Substring {
        var s = self
        while s.last == " " { s = s.dropLast() }
        return s
    }
}

/// Numbers as ftrace prints them: decimal, or hex with `0x`, or bare hex for `%p` pointers.
enum TraceNumber {
    /// Decimal or `0x` hex.
    static func parse(_ s: Substring) -> UInt64? {
        if s.hasPrefix("0x") || s.hasPrefix("0X") { return UInt64(s.dropFirst(2), radix: 16) }
        if s.hasPrefix("-") { return Int64(s).map { UInt64(bitPattern: $0) } }
        return UInt64(s)
    }

    /// A `%p` pointer: bare hex (16 digits), or `0x` hex.
    static func pointer(_ s: Substring) -> UInt64? {
        if s.hasPrefix("0x") { return UInt64(s.dropFirst(2), radix: 16) }
        return UInt64(s, radix: 16)
    }
}
