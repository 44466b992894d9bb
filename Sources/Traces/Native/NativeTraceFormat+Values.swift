import Allocators
import HeapModel
import Operations

extension NativeTraceFormat {
    /// Turns a checked line's strings into the typed values of its ``Operation``.
    struct Values {
        let tokens: Tokens
        let kernel: KernelVersion
        var op: String { tokens.op }

        func operation() throws(LineError) -> Operation {
            if let id = tokens.value("id"), id.contains("..") { return try batch(id) }
            if tokens.value("keep") != nil { throw LineError("expected keep= only with a range of ids (id=p1..p64 or id=p1..)") }
            return try single()
        }

        /// The operations batches may repeat.
        static let batchable: Set<String> = ["kmalloc", "kfree", "vmalloc", "vfree", "kvmalloc", "kvfree", "kmem_cache_alloc",
                                             "kmem_cache_free", "alloc_pages", "free_pages"]

        /// `id=o1..o64` (or open, `id=o1..`): the line's operation for each id of the range.
        func batch(_ id: String) throws(LineError) -> Operation {
            guard Self.batchable.contains(op) else { throw LineError("expected a single id for \(op), found the range \"\(id.prefix(40))\"") }
            let parts = id.split(separator: ".", omittingEmptySubsequences: false)
            func number(_ s: Substring) -> (String, Int)? {
                let digits = s.reversed().prefix { $0.isASCII && $0.isNumber }.count
                guard digits > 0, digits <= 9, let n = Int(s.suffix(digits)) else { return nil }
                return (String(s.dropLast(digits)), n)
            }
            guard parts.count == 3, parts[1].isEmpty, let (prefix, first) = number(parts[0]) else {
                throw LineError("expected a range of ids such as o1..o64 or o1.., found \"\(id.prefix(40))\"")
            }
            var last: Int?
            if !parts[2].isEmpty {
                guard let (p, n) = number(parts[2]), p == prefix, n >= first else {
                    throw LineError("expected a range of ids such as o1..o64 (same prefix, ascending), found \"\(id.prefix(40))\"")
                }
                guard n - first < Batch.openLimit else {
                    throw LineError("expected a range of at most \(Batch.openLimit) ids, found \(n - first + 1) in \"\(id.prefix(40))\"")
                }
                last = n
            }
            var keep: Batch.Keep?
            if let text = tokens.value("keep") {
                let kn = text.split(separator: "/")
                guard kn.count == 2, let k = Int(kn[0]), let n = Int(kn[1]), n >= 1, n <= 1 << 20, (0...n).contains(k) else {
                    throw LineError("expected keep=K/N (keep K blocks of every N, such as 1/8), found \"\(text.prefix(20))\"")
                }
                keep = Batch.Keep(count: k, every: n)
            }
            return .batch(Batch(try single(), prefix: prefix, first: first, last: last, keep: keep))
        }

        func single() throws(LineError) -> Operation {
            switch op {
            case "kmalloc": return .kmalloc(try handle(), size: try size(), flags: try flags(), site: site)
            case "kfree": return .kfree(try handle(), site: site)
            case "krealloc": return .krealloc(try handle(), size: try size(), flags: try flags(), site: site)
            case "vmalloc": return .vmalloc(try handle(), size: try size(), align: try align(), flags: try flags(), site: site)
            case "vfree": return .vfree(try handle(), site: site)
            case "vrealloc": return .vrealloc(try handle(), size: try size(), align: try align(), flags: try flags(), site: site)
            case "kvmalloc": return .kvmalloc(try handle(), size: try size(), align: try align(), flags: try flags(), site: site)
            case "kvfree": return .kvfree(try handle(), site: site)
            case "kvrealloc":
                return .kvrealloc(try handle(), size: try size(), align: try align(), flags: try flags(),
                                  oldSize: tokens.value("oldsize") == nil ? nil : try size("oldsize"), rules: try rules(), site: site)
            case "kmem_cache_create": return .kmemCacheCreate(try cacheSpecification())
            case "kmem_cache_alloc": return .kmemCacheAlloc(cache: tokens.value("cache")!, try handle(), flags: try flags(), site: site)
            case "kmem_cache_free": return .kmemCacheFree(cache: tokens.value("cache")!, try handle(), site: site)
            case "alloc_pages": return .allocPages(try handle(), order: try order(), flags: try flags(), owner: try owner())
            case "free_pages": return .freePages(try handle())
            case "realloc": return try rustRealloc()
            case "kvec_push", "kvec_reserve", "kvec_shrink", "kvec_drop": return try vector()
            case "write": return .write(try handle(), bytes: try bytes())
            default: return .narrate(try narration())
            }
        }

        var site: String? { tokens.value("site") }

        /// `id=NAME` or `ptr=0xADDR`, exactly one of them.
        func handle() throws(LineError) -> Handle {
            switch (tokens.value("id"), tokens.value("ptr")) {
            case (let id?, nil): return .id(id)
            case (nil, let ptr?): return .pointer(try hex(ptr, key: "ptr"))
            case (nil, nil): throw LineError("expected id=NAME or ptr=0xADDR for \(op)")
            case (_?, _?): throw LineError("expected id= or ptr= for \(op), found both")
            }
        }

        func hex(_ text: String, key: String) throws(LineError) -> UInt64 {
            var digits = Substring(text)
            if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits = digits.dropFirst(2) }
            guard let value = UInt64(digits, radix: 16) else { throw LineError("expected a hex address for \(key)=, found \"\(text.prefix(30))\"") }
            return value
        }

        /// A size in bytes (`4096`, `4K`, `2M`), at most 2^62 so that no rounding of it overflows.
        func size(_ key: String = "size") throws(LineError) -> Int {
            guard let text = tokens.value(key) else { throw LineError("expected \(key)= for \(op)") }
            guard let bytes = try? ByteSize.parse(text), bytes <= UInt64(1) << 62 else {
                throw LineError("expected a size (4096, 4K, 2M) of at most 2^62 bytes for \(key)=, found \"\(text.prefix(30))\"")
            }
            return Int(bytes)
        }

        /// A power-of-two alignment up to `limit`; `fallback` when the key is absent.
        func align(_ key: String = "align", fallback: Int = 1, limit: Int = Machine.maxSlotSize) throws(LineError) -> Int {
            guard let text = tokens.value(key) else { return fallback }
            guard let bytes = try? ByteSize.parse(text), let a = Int(exactly: bytes), a > 0, a <= limit, a & (a - 1) == 0 else {
                throw LineError("expected a power-of-two \(key)= up to \(ByteSize.format(UInt64(limit))), found \"\(text.prefix(30))\"")
            }
            return a
        }

        func flags() throws(LineError) -> GFPFlags {
            guard let text = tokens.value("flags") else { return .kernel }
            do { return try GFPFlags(parsing: text, kernel: kernel) } catch {
                throw LineError("expected GFP flags, found unknown \"\(error.unknownPart)\"")
            }
        }

        func rules() throws(LineError) -> KernelVersion? {
            guard let text = tokens.value("rules") else { return nil }
            guard let version = KernelVersion(rawValue: text) else {
                throw LineError("expected rules= \(KernelVersion.allCases.map(\.rawValue).joined(separator: " or ")), found \"\(text.prefix(20))\"")
            }
            return version
        }

        func order() throws(LineError) -> Order {
            // One past the largest order is allowed: the allocator refuses it, as the kernel's would.
            guard let order = tokens.value("order").flatMap({ Int($0) }), (0...Page.maxOrder + 1).contains(order) else {
                throw LineError("expected order=0...\(Page.maxOrder + 1), found \"\(tokens.value("order")?.prefix(20) ?? "")\"")
            }
            return Order(order)
        }

        func owner() throws(LineError) -> Operation.PageUse {
            guard let text = tokens.value("owner") else { return .pages }
            guard let use = Operation.PageUse(rawValue: text) else { throw LineError("expected owner=pages or outside, found \"\(text.prefix(20))\"") }
            return use
        }

        func count(_ key: String, fallback: Int) throws(LineError) -> Int {
            guard let text = tokens.value(key) else { return fallback }
            guard let n = Int(text), n >= 0, n <= 1 << 40 else { throw LineError("expected a count for \(key)=, found \"\(text.prefix(30))\"") }
            return n
        }

        func allocator(default value: AllocatorKind? = nil) throws(LineError) -> AllocatorKind {
            guard let text = tokens.value("allocator") else {
                if let value { return value }
                throw LineError("expected allocator= for \(op)")
            }
            guard let kind = AllocatorKind(rawValue: text) else {
                throw LineError("expected allocator=Kmalloc, Vmalloc or KVmalloc, found \"\(text.prefix(20))\"")
            }
            return kind
        }
    }
}
