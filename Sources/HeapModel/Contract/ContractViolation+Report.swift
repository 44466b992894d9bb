/// The words of a violation: a KASAN-style report for the misuses KASAN knows, memtop's own for the
/// Rust contract's.
extension ContractViolation {
    /// The multi-line report: a rule, the title, the access, the detail, the allocation and free
    /// sites, the object, a rule.
    public var report: String {
        let rule = String(repeating: "=", count: 66)
        var lines = [rule, Self.headline(kind, function: function), "Free of addr \(address) by task memtop/1"]
        if let detail { lines.append(detail.text) }
        lines.append("")
        if let allocatedBy = allocation.allocatedBy { lines += ["Allocated by task 1:", " \(allocatedBy)", ""] }
        if let freedBy = allocation.freedBy { lines += ["Freed by task 1:", " \(freedBy)", ""] }
        if let object = allocation.object {
            lines.append("The buggy address belongs to the object at \(object.start)")
            lines.append(" which belongs to the cache \(object.cache) of size \(object.size)")
            let offset = Int(address.rawValue &- object.start.rawValue)
            lines.append("The buggy address is located \(offset) bytes inside of")
            lines.append(" \(object.size)-byte region [\(object.start), \(object.start.advanced(by: object.size)))")
        }
        lines.append(rule)
        return lines.joined(separator: "\n")
    }

    /// The report's first line. KASAN's own bug types (double-free, invalid-free) in KASAN's words;
    /// the checks KASAN does not make are memtop's, and say so: the Rust `Allocator` contract
    /// (a pointer given to another allocator type than the one that made it, an `old_layout` that
    /// does not describe the allocation) and the rule, from the trait's v3 review, that a
    /// realloc's alignment may only shrink.
    static func headline(_ kind: Kind, function: AllocatorFunction) -> String {
        switch kind {
        case .doubleFree, .invalidFree: "BUG: KASAN: \(kind.rawValue) in \(function)"
        case .wrongAllocator: "memtop: Allocator contract violated in \(function): the pointer comes from another allocator"
        case .layoutMismatch: "memtop: Allocator contract violated in \(function): old_layout does not describe the allocation"
        case .alignmentGrowth: "memtop: realloc rule violated in \(function): the new alignment may not exceed the old (Allocator v3)"
        }
    }
}

extension ContractViolation.Detail {
    /// The detail as the report's third line.
    public var text: String {
        switch self {
        case .insideLargeKmalloc: "pointer is inside a large kmalloc"
        case .pagesRefused(let bad): "\(bad)"
        case .kfreeOfVmallocAddress: "kfree() of a vmalloc address"
        case let .wrongCache(passed, actual): "Wrong slab cache. \(passed) but object is from \(actual)"
        case .vfreeOutsideVmallocRange: "vfree() of an address outside the vmalloc range"
        case .insideVmallocArea: "address is inside a vmalloc area"
        case .noVmallocArea: "no vmalloc area at this address"
        case .awaitingPurge: "area already freed, awaiting purge"
        case let .otherAllocator(madeBy, passedTo): "allocated by \(madeBy), passed to \(passedTo.rawValue)"
        case let .layoutMismatch(oldSize, oldAlign, actualSize):
            "old_layout size \(oldSize) (align \(oldAlign)) but the allocation is \(actualSize) bytes"
        case let .alignmentGrowth(new, old, kernel, function, outcome):
            "new alignment \(new) exceeds the old \(old); " + Self.outcomeText(outcome, new: new, kernel: kernel, function: function)
        }
    }

    /// Where a realloc that grew the alignment left the allocation, and whether that is aligned.
    static func outcomeText(_ outcome: ContractViolation.AlignmentOutcome, new: Int, kernel: KernelVersion,
                            function: AllocatorFunction) -> String {
        switch outcome {
        case .keptInPlace(_, true): "kept in place, which is aligned"
        case let .keptInPlace(at, false): "\(kernel)'s \(function) kept it in place at \(at), NOT aligned to \(new)"
        case let .moved(to, aligned): "\(kernel)'s \(function) moved it to \(to)" + (aligned ? "" : ", NOT aligned")
        case .refused: "\(kernel)'s \(function) refused it (NULL); the old allocation stays valid"
        }
    }
}
