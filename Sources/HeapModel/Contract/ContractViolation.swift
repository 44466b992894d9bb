/// A misuse of the allocator contract, detected and reported the way the kernel's debugging tools
/// (KASAN, SLUB debug, the page allocator's checks) would report it. The machine is left unchanged.
public struct ContractViolation: Error, Hashable, Sendable {
    /// What was misused.
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        /// The object or area was already freed.
        case doubleFree = "double-free"
        /// The pointer is not the start of a live allocation (unknown or interior).
        case invalidFree = "invalid-free"
        /// Freed (or reallocated) through another allocator than the one that made it.
        case wrongAllocator = "wrong-allocator"
        /// A realloc asked for a larger alignment than the allocation has.
        case alignmentGrowth = "alignment-growth"
        /// A free or realloc described the allocation with a layout that does not match it.
        case layoutMismatch = "layout-mismatch"
    }

    /// The fields, behind one reference: a violation is rare, while every kfree returns an optional
    /// one, and an optional reference comes back in a register where four fields came back in memory.
    private final class Fields: Sendable {
        let kind: Kind
        let address: VirtualAddress
        let function: String
        let report: String

        init(kind: Kind, address: VirtualAddress, function: String, report: String) {
            self.kind = kind
            self.address = address
            self.function = function
            self.report = report
        }
    }

    private let fields: Fields

    /// What was misused.
    public var kind: Kind { fields.kind }
    /// The address passed.
    public var address: VirtualAddress { fields.address }
    /// The function that detected it (`kfree`, `vfree`, `Kmalloc::realloc`, ...).
    public var function: String { fields.function }
    /// The multi-line report, in the kernel's words.
    public var report: String { fields.report }

    /// Creates a violation.
    public init(kind: Kind, address: VirtualAddress, function: String, report: String) {
        fields = Fields(kind: kind, address: address, function: function, report: report)
    }

    /// Violations are equal when all their fields are.
    public static func == (a: ContractViolation, b: ContractViolation) -> Bool {
        a.fields === b.fields || (a.kind == b.kind && a.address == b.address && a.function == b.function && a.report == b.report)
    }

    /// Hashes all the fields.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(address)
        hasher.combine(function)
        hasher.combine(report)
    }

    /// A KASAN-style report: title, the access, the allocation and free sites, the object.
    /// The report's first line. KASAN's own bug types (double-free, invalid-free) in KASAN's words;
    /// the checks KASAN does not make are memtop's, and say so: the Rust `Allocator` contract
    /// (a pointer given to another allocator type than the one that made it, an `old_layout` that
    /// does not describe the allocation) and the rule, from the trait's v3 review, that a
    /// realloc's alignment may only shrink.
    static func headline(_ kind: Kind, function: String) -> String {
        switch kind {
        case .doubleFree, .invalidFree: "BUG: KASAN: \(kind.rawValue) in \(function)"
        case .wrongAllocator: "memtop: Allocator contract violated in \(function): the pointer comes from another allocator"
        case .layoutMismatch: "memtop: Allocator contract violated in \(function): old_layout does not describe the allocation"
        case .alignmentGrowth: "memtop: realloc rule violated in \(function): the new alignment may not exceed the old (Allocator v3)"
        }
    }

    public static func kasanReport(kind: Kind, address: VirtualAddress, function: String, allocatedBy: String?,
                                   freedBy: String?, object: (start: VirtualAddress, size: Int, cache: String)?,
                                   detail: String? = nil) -> String {
        let rule = String(repeating: "=", count: 66)
        var lines = [rule, headline(kind, function: function), "Free of addr \(address) by task memtop/1"]
        if let detail { lines.append(detail) }
        lines.append("")
        if let allocatedBy { lines += ["Allocated by task 1:", " \(allocatedBy)", ""] }
        if let freedBy { lines += ["Freed by task 1:", " \(freedBy)", ""] }
        if let object {
            lines.append("The buggy address belongs to the object at \(object.start)")
            lines.append(" which belongs to the cache \(object.cache) of size \(object.size)")
            let offset = Int(address.rawValue &- object.start.rawValue)
            lines.append("The buggy address is located \(offset) bytes inside of")
            lines.append(" \(object.size)-byte region [\(object.start), \(object.start.advanced(by: object.size)))")
        }
        lines.append(rule)
        return lines.joined(separator: "\n")
    }
}
