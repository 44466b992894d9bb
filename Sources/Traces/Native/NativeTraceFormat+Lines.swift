import Allocators
import HeapModel
import Operations

extension NativeTraceFormat {
    /// The line that writes `op` (flags named with `kernel`'s table); parsing it gives `op` back.
    public static func line(_ op: Operation, kernel: KernelVersion) -> String {
        var w = LineWriter(kernel: kernel)
        switch op {
        case let .kmalloc(h, size, flags, site): w.put("kmalloc", h); w.size(size); w.flags(flags); w.site(site)
        case let .kfree(h, site): w.put("kfree", h); w.site(site)
        case let .krealloc(h, size, flags, site): w.put("krealloc", h); w.size(size); w.flags(flags); w.site(site)
        case let .vmalloc(h, size, align, flags, site): w.put("vmalloc", h); w.size(size); w.align(align); w.flags(flags); w.site(site)
        case let .vfree(h, site): w.put("vfree", h); w.site(site)
        case let .vrealloc(h, size, align, flags, site): w.put("vrealloc", h); w.size(size); w.align(align); w.flags(flags); w.site(site)
        case let .kvmalloc(h, size, align, flags, site): w.put("kvmalloc", h); w.size(size); w.align(align); w.flags(flags); w.site(site)
        case let .kvfree(h, site): w.put("kvfree", h); w.site(site)
        case let .kvrealloc(h, size, align, flags, oldSize, rules, site):
            w.put("kvrealloc", h); w.size(size); w.align(align); w.flags(flags)
            if let oldSize { w.key("oldsize", "\(oldSize)") }
            if let rules { w.key("rules", rules.rawValue) }
            w.site(site)
        case .kmemCacheCreate(let c):
            w.text = "kmem_cache_create"
            w.key("name", c.name); w.size(c.objectSize); w.key("align", "\(c.align)")
            let words = [(SlabCache.Flags.hardwareCacheAlign, "hwcache"), (.reclaimAccount, "reclaim"), (.account, "account")]
                .filter { c.flags.contains($0.0) }.map(\.1)
            if !words.isEmpty { w.key("cache_flags", words.joined(separator: ",")) }
            if c.hasConstructor { w.key("ctor", "1") }
        case let .kmemCacheAlloc(cache, h, flags, site):
            w.text = "kmem_cache_alloc"; w.key("cache", cache); w.handle(h); w.flags(flags); w.site(site)
        case let .kmemCacheFree(cache, h, site): w.text = "kmem_cache_free"; w.key("cache", cache); w.handle(h); w.site(site)
        case let .allocPages(h, order, flags, owner):
            w.put("alloc_pages", h); w.key("order", "\(order)"); w.flags(flags); w.key("owner", owner.rawValue)
        case .freePages(let h): w.put("free_pages", h)
        case let .rustRealloc(allocator, h, layout, old, flags):
            w.text = "realloc"; w.key("allocator", allocator.rawValue)
            if let h { w.handle(h) } else { w.key("ptr", "none") }
            w.size(layout.size); w.key("align", "\(layout.align)"); w.key("oldsize", "\(old.size)"); w.key("oldalign", "\(old.align)")
            w.flags(flags)
        case let .vector(v, vec, allocator, flags): w.vector(v, vec: vec, allocator: allocator, flags: flags)
        case let .write(h, bytes):
            w.put("write", h); w.key("bytes", bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined())
        case .narrate(let n): w.narration(n)
        case .batch(let b):
            // The template's line, its id replaced by the range.
            var text = line(b.template.naming(.id("\u{1}")), kernel: kernel)
            text = text.replacing(" id=\u{1}", with: " id=" + b.range, maxReplacements: 1)
            if let keep = b.keep { text += " keep=\(keep.count)/\(keep.every)" }
            return text
        }
        return w.text
    }

    /// Builds a line key by key.
    struct LineWriter {
        let kernel: KernelVersion
        var text = ""

        mutating func put(_ op: String, _ h: Handle) { text = op; handle(h) }
        mutating func handle(_ h: Handle) { text += " " + h.description }
        mutating func key(_ key: String, _ value: String) {
            text += value.contains(" ") || value.contains("\"") || value.isEmpty
                ? " \(key)=\"\(value.replacingQuotes)\"" : " \(key)=\(value)"
        }
        mutating func size(_ n: Int) { key("size", "\(n)") }
        mutating func align(_ a: Int) { if a != 1 { key("align", "\(a)") } }
        mutating func flags(_ f: GFPFlags) { key("flags", f.traceString(kernel)) }
        mutating func site(_ s: String?) { if let s { key("site", s) } }

        mutating func vector(_ v: Operation.VectorOperation, vec: String, allocator: AllocatorKind, flags: GFPFlags) {
            switch v {
            case .push: text = "kvec_push"
            case .reserve: text = "kvec_reserve"
            case .shrink: text = "kvec_shrink"
            case .drop: text = "kvec_drop"
            }
            key("vec", vec); key("allocator", allocator.rawValue)
            switch v {
            case .push(let count): key("count", "\(count)"); self.flags(flags)
            case .reserve(let additional): key("additional", "\(additional)"); self.flags(flags)
            case .shrink: self.flags(flags)
            case .drop: break
            }
        }

        mutating func narration(_ n: Narration) {
            text = n.kind.rawValue
            if let answer = n.answer { key("answer", answer) }
            if !n.show.isEmpty { key("show", n.show.joined(separator: ",")) }
            if n.kind != .pause || !n.text.isEmpty { text += " \"" + n.text.replacingQuotes + "\"" }
        }
    }
}

extension String {
    /// The text with double quotes turned into single ones, so it fits between quotes.
    var replacingQuotes: String { String(map { $0 == "\"" ? "'" : $0 }) }
}
