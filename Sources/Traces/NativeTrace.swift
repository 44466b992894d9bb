import Allocators
import HeapModel

/// One operation of memtop's own trace format (see `docs/trace-format.md`).
public struct TraceOperation: Hashable, Sendable {
    /// The operation name: `kmalloc`, `kfree`, `vmalloc`, `say`, ...
    public let op: String
    /// `key=value` arguments, in order.
    public let arguments: [(String, String)]
    /// The quoted text of `say` and `mark`.
    public let text: String?

    /// An operation.
    public init(op: String, arguments: [(String, String)] = [], text: String? = nil) {
        self.op = op
        self.arguments = arguments
        self.text = text
    }

    /// The value of `key`, if given.
    public func value(_ key: String) -> String? { arguments.first { $0.0 == key }?.1 }

    public static func == (a: TraceOperation, b: TraceOperation) -> Bool {
        a.op == b.op && a.text == b.text && a.arguments.map(\.0) == b.arguments.map(\.0) && a.arguments.map(\.1) == b.arguments.map(\.1)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(op)
        for (k, v) in arguments { hasher.combine(k); hasher.combine(v) }
    }

    /// The line that writes this operation back.
    public var line: String {
        var out = op
        for (k, v) in arguments { out += " \(k)=\(v)" }
        if let text { out += " \"" + text.replacingQuotes + "\"" }
        return out
    }

    /// The operations the format knows, with their required keys.
    public static let grammar: [String: [String]] = [
        "kmalloc": ["size"], "kfree": [], "krealloc": ["size"], "kmem_cache_create": ["name", "size"],
        "kmem_cache_alloc": ["cache"], "kmem_cache_free": ["cache"], "vmalloc": ["size"], "vfree": [], "vrealloc": ["size"],
        "kvmalloc": ["size"], "kvfree": [], "kvrealloc": ["size"], "alloc_pages": ["order"], "free_pages": [],
        "kvec_push": ["vec"], "kvec_reserve": ["vec", "additional"], "kvec_shrink": ["vec"], "kvec_drop": ["vec"],
        "realloc": ["allocator", "size"], "write": ["ptr", "bytes"],
        "say": [], "mark": [], "pause": [], "ask": [],
    ]
}

extension String {
    var replacingQuotes: String { String(map { $0 == "\"" ? "'" : $0 }) }
}

/// Reads memtop's trace format: a `# memtop trace v1` header, one operation a line as
/// `OP key=value ...`, `#` comments, blank lines, and quoted text for `say`, `mark` and `ask`.
public enum NativeTraceParser {
    /// The header line every file starts with.
    public static let header = "# memtop trace v1"

    /// Parses one line (without its newline); nil for blank lines and comments.
    /// - Throws: ``TraceInputError`` naming what was expected and what was found.
    public static func parse(_ line: Substring, number: Int, file: String) throws(TraceInputError) -> TraceOperation? {
        let text = line.drop { $0 == " " || $0 == "\t" }
        if text.isEmpty || text.hasPrefix("#") { return nil }
        func fail(_ message: String) -> TraceInputError { TraceInputError(file: file, line: number, message: message) }
        let op = String(text.prefix { $0 != " " && $0 != "\t" })
        guard let required = TraceOperation.grammar[op] else {
            throw fail("expected an operation (\(TraceOperation.grammar.keys.sorted().joined(separator: ", "))), found \"\(op.prefix(40))\"")
        }
        var rest = text.dropFirst(op.count).drop { $0 == " " || $0 == "\t" }
        var arguments: [(String, String)] = []
        var quoted: String?
        while !rest.isEmpty {
            if rest.first == "\"" {
                let body = rest.dropFirst()
                guard let close = body.firstIndex(of: "\"") else { throw fail("expected a closing \" for the text, found the end of the line") }
                quoted = String(body[..<close])
                rest = body[body.index(after: close)...].drop { $0 == " " || $0 == "\t" }
                continue
            }
            let token = rest.prefix { $0 != " " && $0 != "\t" }
            guard let eq = token.firstIndex(of: "="), eq != token.startIndex, token.index(after: eq) != token.endIndex else {
                throw fail("expected key=value, found \"\(token.prefix(40))\"")
            }
            let valueStart = token.index(after: eq)
            if token[valueStart] == "\"" {
                // key="a value with spaces"
                let body = rest[rest.index(after: valueStart)...]
                guard let close = body.firstIndex(of: "\"") else { throw fail("expected a closing \" for \(token[..<eq])=, found the end of the line") }
                arguments.append((String(token[..<eq]), String(body[..<close])))
                rest = body[body.index(after: close)...].drop { $0 == " " || $0 == "\t" }
                continue
            }
            arguments.append((String(token[..<eq]), String(token[valueStart...])))
            rest = rest.dropFirst(token.count).drop { $0 == " " || $0 == "\t" }
        }
        for key in required where !arguments.contains(where: { $0.0 == key }) {
            throw fail("expected \(key)= for \(op), found \"\(text.prefix(60))\"")
        }
        if ["say", "mark", "ask"].contains(op) && quoted == nil { throw fail("expected \"text\" after \(op)") }
        return TraceOperation(op: op, arguments: arguments, text: quoted)
    }
}

/// Applies native operations to a machine: symbolic `id=` names (or real `ptr=` values) map to
/// the simulation's addresses.
public struct NativeTraceExecutor {
    /// The machine.
    public var machine: Machine
    /// The file's name for messages.
    let file: String
    private var named: [String: VirtualAddress] = [:]
    /// Names already freed, so a hand-written double free reaches the allocator (and its report).
    private var freed: [String: VirtualAddress] = [:]
    private var pages: [String: (PageFrameNumber, Int)] = [:]
    private var caches: [String: CacheID] = [:]
    private var vectors: [String: RustVec<UInt64, KVmalloc>] = [:]
    private var kvectors: [String: RustVec<UInt64, Kmalloc>] = [:]
    private var vvectors: [String: RustVec<UInt64, Vmalloc>] = [:]
    /// Narration lines (`say`), bookmarks (`mark`), pauses and questions (`ask`, with `answer=`)
    /// met, with their line numbers and the files to `show=` after them.
    public private(set) var narration: [Narration] = []

    /// One narration line of a trace.
    public struct Narration: Hashable, Sendable {
        /// The line number.
        public let line: Int
        /// `say`, `mark`, `pause` or `ask`.
        public let kind: String
        /// The text (the question, for `ask`).
        public let text: String
        /// The answer of an `ask`.
        public let answer: String?
        /// Files to show after this line (`show=slabinfo,buddyinfo`).
        public let show: [String]
    }

    /// An executor on `machine`.
    public init(machine: Machine, file: String) {
        self.machine = machine
        self.file = file
    }

    /// The address a `ptr=` names: the allocation the trace made under that name, or, for a pointer
    /// the trace never allocated, the address itself (a recording replays to the same addresses).
    func address(_ op: TraceOperation, key k: String) -> VirtualAddress? {
        if let p = named[k] { return p }
        guard k.hasPrefix("ptr:"), let raw = UInt64(k.dropFirst(4).drop { $0 == "0" || $0 == "x" }, radix: 16) ?? (k == "ptr:0x0" ? 0 : nil)
        else { return nil }
        return VirtualAddress(raw)
    }

    func key(_ op: TraceOperation, line: Int) throws(TraceInputError) -> String {
        if let id = op.value("id") { return "id:" + id }
        if let ptr = op.value("ptr") { return "ptr:" + ptr.lowercased() }
        throw TraceInputError(file: file, line: line, message: "expected id=NAME or ptr=0xADDR for \(op.op)")
    }

    func size(_ op: TraceOperation, _ k: String = "size", line: Int) throws(TraceInputError) -> Int {
        guard let text = op.value(k) else { throw TraceInputError(file: file, line: line, message: "expected \(k)= for \(op.op)") }
        guard let bytes = try? ByteSize.parse(text), bytes <= UInt64(Int.max / 2) else {
            throw TraceInputError(file: file, line: line, message: "expected a size (4096, 4K, 2M) for \(k)=, found \"\(text.prefix(30))\"")
        }
        return Int(bytes)
    }

    /// `align=`: a power of two no larger than 4 MiB.
    func alignment(_ op: TraceOperation, default value: Int, line: Int) throws(TraceInputError) -> Int {
        guard let text = op.value("align") else { return value }
        guard let bytes = try? ByteSize.parse(text), let a = Int(exactly: bytes), a > 0, a <= Machine.maxSlotSize, a & (a - 1) == 0 else {
            throw TraceInputError(file: file, line: line, message: "expected a power-of-two align= up to 4M, found \"\(text.prefix(30))\"")
        }
        return a
    }

    func flags(_ op: TraceOperation, line: Int) throws(TraceInputError) -> GFPFlags {
        guard let text = op.value("flags") else { return .kernel }
        do { return try GFPFlags(parsing: text, kernel: machine.configuration.kernel) } catch {
            throw TraceInputError(file: file, line: line, message: "expected GFP flags, found unknown \"\(error.unknownPart)\"")
        }
    }

    mutating func site(_ op: TraceOperation) -> CallSite { op.value("site").map { machine.callSite($0) } ?? .unknown }

    /// Applies one operation.
    /// - Throws: ``TraceInputError`` for an argument that is missing or malformed, or an `id` that
    ///   names nothing live. Allocation failures and contract violations are the simulation's
    ///   business: they are reported as events, not errors.
    public mutating func apply(_ op: TraceOperation, line: Int) throws(TraceInputError) {
        let s = site(op)
        switch op.op {
        case "say", "mark", "ask", "pause":
            narration.append(Narration(line: line, kind: op.op, text: op.text ?? "", answer: op.value("answer"),
                                       show: op.value("show").map { $0.split(separator: ",").map(String.init) } ?? []))
        case "kmalloc", "kvmalloc", "vmalloc":
            let k = try key(op, line: line), n = try size(op, line: line), f = try flags(op, line: line)
            let align = try alignment(op, default: 1, line: line)
            let p: VirtualAddress?
            switch op.op {
            case "kmalloc": p = Kmalloc.kmalloc(n, flags: f, site: s, in: &machine)
            case "kvmalloc": p = KVmalloc.kvmalloc(n, align: align, flags: f, site: s, in: &machine)
            default: p = Vmalloc.vmalloc(n, align: align, flags: f, site: s, in: &machine)
            }
            if let p { named[k] = p }
        case "kfree", "kvfree", "vfree":
            let k = try key(op, line: line)
            guard let p = address(op, key: k) ?? freed[k] else {
                throw TraceInputError(file: file, line: line, message: "expected a live allocation for \(k.dropFirst(3)), found none")
            }
            named[k] = nil
            freed[k] = p
            switch op.op {
            case "kfree": Kmalloc.kfree(p, site: s, in: &machine)
            case "vfree": Vmalloc.vfree(p, site: s, in: &machine)
            default: KVmalloc.kvfree(p, site: s, in: &machine)
            }
        case "krealloc", "vrealloc", "kvrealloc":
            let k = try key(op, line: line), n = try size(op, line: line), f = try flags(op, line: line)
            let old = address(op, key: k) ?? .null
            let result: Result<VirtualAddress?, ContractViolation>
            switch op.op {
            case "krealloc": result = Kmalloc.krealloc(old, newSize: n, flags: f, site: s, in: &machine)
            case "vrealloc": result = Vmalloc.vrealloc(old, newSize: n, flags: f, site: s, in: &machine)
            default: result = KVmalloc.kvrealloc(old, newSize: n, flags: f, site: s, in: &machine)
            }
            if case .success(let p?) = result { if n == 0 { named[k] = nil } else { named[k] = p } }
        case "kmem_cache_create":
            let name = op.value("name")!
            let n = try size(op, line: line)
            let align = try alignment(op, default: 8, line: line)
            var cacheFlags: SlabCache.Flags = []
            for word in (op.value("cache_flags") ?? "").split(separator: ",") {
                switch word {
                case "hwcache": cacheFlags.insert(.hardwareCacheAlign)
                case "reclaim": cacheFlags.insert(.reclaimAccount)
                case "account": cacheFlags.insert(.account)
                default: throw TraceInputError(file: file, line: line, message: "expected cache_flags hwcache, reclaim or account, found \"\(word)\"")
                }
            }
            guard let id = KmemCache.create(name, objectSize: n, align: align, flags: cacheFlags,
                                            hasConstructor: op.value("ctor") == "1", in: &machine) else {
                throw TraceInputError(file: file, line: line, message: "expected an object size of 1 byte to 4M and a power-of-two align, found size=\(n) align=\(align)")
            }
            caches[name] = id
        case "kmem_cache_alloc", "kmem_cache_free":
            let name = op.value("cache")!
            guard let c = caches[name] ?? machine.cache(named: name)?.id else {
                throw TraceInputError(file: file, line: line, message: "expected a cache created with kmem_cache_create, found \"\(name)\"")
            }
            let k = try key(op, line: line)
            if op.op == "kmem_cache_alloc" {
                if let p = KmemCache.alloc(c, flags: try flags(op, line: line), site: s, in: &machine) { named[k] = p }
            } else {
                guard let p = address(op, key: k) else {
                    throw TraceInputError(file: file, line: line, message: "expected a live object for \(k.dropFirst(3)), found none")
                }
                named[k] = nil
                KmemCache.free(c, p, site: s, in: &machine)
            }
        case "alloc_pages":
            let k = try key(op, line: line)
            guard let order = op.value("order").flatMap({ Int($0) }), (0...Page.maxOrder + 1).contains(order) else {
                throw TraceInputError(file: file, line: line, message: "expected order=0...10, found \"\(op.value("order") ?? "")\"")
            }
            let owner: PageOwner = op.value("owner") == "outside" ? .outside : .pages
            let gfp = try flags(op, line: line)
            if let p = try? machine.allocPages(order: order, gfp: gfp, owner: owner) { pages[k] = (p, order) }
        case "free_pages":
            let k = try key(op, line: line)
            var literal: Int?
            if k.hasPrefix("ptr:") {
                var digits = k.dropFirst(4)
                if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
                literal = Int(digits, radix: 16)
            }
            if let (p, order) = pages.removeValue(forKey: k) {
                try? machine.freePages(p, order: order)
            } else if let pfn = literal, let order = machine.blockOrder(at: PageFrameNumber(pfn)),
                      machine.owner(of: PageFrameNumber(pfn)) == .pages || machine.owner(of: PageFrameNumber(pfn)) == .outside {
                // Only blocks alloc_pages made: freeing a slab's or vmalloc area's pages under it would
                // leave the slab or area pointing at free memory.
                try? machine.freePages(PageFrameNumber(pfn), order: order)
            } else {
                throw TraceInputError(file: file, line: line, message: "expected pages allocated as \(k.dropFirst(3)), found none")
            }
        case "kvec_push", "kvec_reserve", "kvec_shrink", "kvec_drop":
            try vectorOperation(op, line: line)
        case "realloc":
            try rustRealloc(op, line: line)
        case "write":
            let hexBytes = Array(op.value("bytes")!.utf8)
            guard hexBytes.count % 2 == 0, let p = address(op, key: try key(op, line: line)) else {
                throw TraceInputError(file: file, line: line, message: "expected ptr= and an even number of hex digits in bytes=")
            }
            var bytes: [UInt8] = []
            bytes.reserveCapacity(hexBytes.count / 2)
            for i in stride(from: 0, to: hexBytes.count, by: 2) {
                guard let b = UInt8(String(decoding: hexBytes[i..<(i + 2)], as: UTF8.self), radix: 16) else {
                    throw TraceInputError(file: file, line: line, message: "expected hex digits in bytes=")
                }
                bytes.append(b)
            }
            machine.writeBytes(bytes, at: p)
        default:
            throw TraceInputError(file: file, line: line, message: "expected an operation, found \"\(op.op)\"")
        }
    }

    /// `realloc allocator=A ptr=P|none size=N align=A oldsize=N oldalign=A`: the Rust allocator's one primitive.
    mutating func rustRealloc(_ op: TraceOperation, line: Int) throws(TraceInputError) {
        let n = try size(op, line: line)
        func number(_ k: String, _ d: Int) -> Int { op.value(k).flatMap { try? ByteSize.parse($0) }.map(Int.init) ?? d }
        guard let layout = Layout(size: n, align: number("align", 1)),
              let old = Layout(size: number("oldsize", 0), align: number("oldalign", 1)) else {
            throw TraceInputError(file: file, line: line, message: "expected power-of-two align= and oldalign=")
        }
        let ptr: VirtualAddress? = op.value("ptr") == "none" ? nil : address(op, key: try key(op, line: line))
        let f = try flags(op, line: line)
        switch op.value("allocator")! {
        case "Kmalloc": _ = try? Kmalloc.realloc(ptr, layout: layout, oldLayout: old, flags: f, in: &machine)
        case "Vmalloc": _ = try? Vmalloc.realloc(ptr, layout: layout, oldLayout: old, flags: f, in: &machine)
        case "KVmalloc": _ = try? KVmalloc.realloc(ptr, layout: layout, oldLayout: old, flags: f, in: &machine)
        case let other: throw TraceInputError(file: file, line: line, message: "expected allocator=Kmalloc, Vmalloc or KVmalloc, found \"\(other)\"")
        }
    }

    /// KVec operations on a vector of u64 named by `vec=`, on the allocator `allocator=`
    /// (Kmalloc, the default, Vmalloc or KVmalloc).
    mutating func vectorOperation(_ op: TraceOperation, line: Int) throws(TraceInputError) {
        let name = op.value("vec")!
        let f = try flags(op, line: line)
        let count = op.value("count").flatMap { Int($0) } ?? 1
        let additional = op.value("additional").flatMap { Int($0) } ?? 0
        func run<A: Allocator>(_ v: inout RustVec<UInt64, A>) {
            switch op.op {
            case "kvec_push": for _ in 0..<max(count, 0) { try? v.push(UInt64(v.length), flags: f, in: &machine) }
            case "kvec_reserve": try? v.reserve(additional, flags: f, in: &machine)
            case "kvec_shrink": try? v.shrinkToFit(flags: f, in: &machine)
            default: try? v.drop(in: &machine)
            }
        }
        switch op.value("allocator") ?? "Kmalloc" {
        case "Kmalloc": var v = kvectors[name] ?? RustVec(); run(&v); kvectors[name] = v
        case "Vmalloc": var v = vvectors[name] ?? RustVec(); run(&v); vvectors[name] = v
        case "KVmalloc": var v = vectors[name] ?? RustVec(); run(&v); vectors[name] = v
        case let other: throw TraceInputError(file: file, line: line, message: "expected allocator=Kmalloc, Vmalloc or KVmalloc, found \"\(other)\"")
        }
    }
}
