import Allocators
import HeapModel

extension OperationRunner {
    /// The Rust `Allocator::realloc` of one of the three allocator types; contract violations and
    /// failures are reported by the allocator as events, and the result is NULL.
    mutating func rustRealloc(_ kind: AllocatorKind, _ h: Handle?, layout: Layout, oldLayout: Layout, flags: GFPFlags,
                              on machine: inout Machine) -> Outcome {
        let ptr = h.flatMap { address(of: $0) }
        let allocation: Allocation?
        switch kind {
        case .kmalloc: allocation = try? Kmalloc.realloc(ptr, layout: layout, oldLayout: oldLayout, flags: flags, in: &machine)
        case .vmalloc: allocation = try? Vmalloc.realloc(ptr, layout: layout, oldLayout: oldLayout, flags: flags, in: &machine)
        case .kvmalloc: allocation = try? KVmalloc.realloc(ptr, layout: layout, oldLayout: oldLayout, flags: flags, in: &machine)
        }
        if let h, case .id = h, let allocation {
            if layout.size == 0 { _ = forget(h) } else { live[h] = allocation.pointer }
        }
        return .address(allocation?.pointer)
    }

    /// A vector operation on the vector `name` of `kind`'s memory; `push(count:)` stops at the
    /// first element that cannot be pushed (the vector cannot grow: each later push would fail too).
    mutating func vectorOperation(_ v: Operation.VectorOperation, name: String, allocator kind: AllocatorKind, flags: GFPFlags,
                                  on machine: inout Machine) {
        func run<A: Allocator>(_ vec: inout RustVec<UInt64, A>) {
            switch v {
            case .push(let count):
                for _ in 0..<max(count, 0) {
                    do { try vec.push(UInt64(vec.length), flags: flags, in: &machine) } catch { break }
                }
            case .reserve(let additional): try? vec.reserve(additional, flags: flags, in: &machine)
            case .shrink: try? vec.shrinkToFit(flags: flags, in: &machine)
            case .drop: try? vec.drop(in: &machine)
            }
        }
        switch kind {
        case .kmalloc: var vec = kmallocVectors[name] ?? RustVec(); run(&vec); kmallocVectors[name] = vec
        case .vmalloc: var vec = vmallocVectors[name] ?? RustVec(); run(&vec); vmallocVectors[name] = vec
        case .kvmalloc: var vec = kvmallocVectors[name] ?? RustVec(); run(&vec); kvmallocVectors[name] = vec
        }
    }
}

extension OperationRunner {
    /// The capacity of the vector `name` on `kind`'s memory (0 before its first growth).
    public func capacity(ofVector name: String, allocator kind: AllocatorKind) -> Int {
        switch kind {
        case .kmalloc: kmallocVectors[name]?.capacity ?? 0
        case .vmalloc: vmallocVectors[name]?.capacity ?? 0
        case .kvmalloc: kvmallocVectors[name]?.capacity ?? 0
        }
    }
}
