import Allocators
import HeapModel
import Operations

extension NativeTraceFormat.Values {
    typealias LineError = NativeTraceFormat.LineError

    /// `kmem_cache_create name= size= align= cache_flags=hwcache,reclaim,account ctor=1`.
    func cacheSpecification() throws(LineError) -> CacheSpecification {
        var flags: SlabCache.Flags = []
        for word in (tokens.value("cache_flags") ?? "").split(separator: ",") {
            switch word {
            case "hwcache": flags.insert(.hardwareCacheAlign)
            case "reclaim": flags.insert(.reclaimAccount)
            case "account": flags.insert(.account)
            default: throw LineError("expected cache_flags hwcache, reclaim or account, found \"\(word.prefix(20))\"")
            }
        }
        let ctor = tokens.value("ctor")
        guard ctor == nil || ctor == "0" || ctor == "1" else { throw LineError("expected ctor=0 or 1, found \"\(ctor!.prefix(10))\"") }
        return CacheSpecification(name: tokens.value("name")!, objectSize: try size(), align: try align(fallback: 8), flags: flags,
                                  hasConstructor: ctor == "1")
    }

    /// `realloc allocator=A ptr=P|none size=N align=A oldsize=N oldalign=A flags=F`.
    func rustRealloc() throws(LineError) -> Operation {
        // Any power of two the Layout can hold: the allocators decide what they support.
        let newAlign = try align(limit: 1 << 40), oldAlign = try align("oldalign", limit: 1 << 40)
        let oldSize = tokens.value("oldsize") == nil ? 0 : try size("oldsize")
        guard let layout = Layout(size: try size(), align: newAlign), let old = Layout(size: oldSize, align: oldAlign) else {
            throw LineError("expected sizes that fit their alignment")
        }
        let h: Handle? = tokens.value("ptr") == "none" && tokens.value("id") == nil ? nil : try handle()
        return .rustRealloc(allocator: try allocator(), h, layout: layout, oldLayout: old, flags: try flags())
    }

    /// `kvec_push`, `kvec_reserve`, `kvec_shrink`, `kvec_drop` on `vec=NAME`.
    func vector() throws(LineError) -> Operation {
        let v: Operation.VectorOperation
        switch op {
        case "kvec_push": v = .push(count: try count("count", fallback: 1))
        case "kvec_reserve": v = .reserve(additional: try count("additional", fallback: 0))
        case "kvec_shrink": v = .shrink
        default: v = .drop
        }
        return .vector(v, vec: tokens.value("vec")!, allocator: try allocator(default: .kmalloc), flags: try flags())
    }

    /// `write ptr= bytes=HEX`.
    func bytes() throws(LineError) -> [UInt8] {
        let hexBytes = Array(tokens.value("bytes")!.utf8)
        guard hexBytes.count % 2 == 0 else { throw LineError("expected an even number of hex digits in bytes=") }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(hexBytes.count / 2)
        for i in stride(from: 0, to: hexBytes.count, by: 2) {
            guard let b = UInt8(String(decoding: hexBytes[i..<(i + 2)], as: UTF8.self), radix: 16) else {
                throw LineError("expected hex digits in bytes=")
            }
            bytes.append(b)
        }
        return bytes
    }

    /// `say`, `mark`, `ask` (with their quoted text) and `pause`.
    func narration() throws(LineError) -> Narration {
        guard let kind = Narration.Kind(rawValue: op) else { throw LineError("expected an operation, found \"\(op.prefix(40))\"") }
        if kind != .pause && tokens.text == nil { throw LineError("expected \"text\" after \(op)") }
        return Narration(kind, text: tokens.text ?? "", answer: tokens.value("answer"),
                         show: tokens.value("show").map { $0.split(separator: ",").map(String.init) } ?? [])
    }
}
