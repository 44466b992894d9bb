/// A value of `slab_sysfs.tsv`: a sysfs attribute reduced to its total.
public enum SlabSysfsValue: Hashable, Sendable {
    /// `NA`: the attribute file was absent (a kernel without it, or a configuration that hides it).
    case notAvailable
    /// A number; for attributes with a breakdown (`3 N0=3`) the leading total.
    case number(Int)
    /// `slabs_cpu_partial`'s `objects(slabs)` total, e.g. `170(2)`: objects and slabs on the
    /// per-CPU partial lists of all CPUs.
    case objectsAndSlabs(objects: Int, slabs: Int)

    /// The leading number (objects, for ``objectsAndSlabs(objects:slabs:)``); nil for
    /// ``notAvailable``.
    public var total: Int? {
        switch self {
        case .notAvailable: return nil
        case .number(let value): return value
        case .objectsAndSlabs(let objects, _): return objects
        }
    }

    /// The slabs of an `objects(slabs)` value; nil otherwise.
    public var slabs: Int? {
        if case .objectsAndSlabs(_, let slabs) = self { return slabs }
        return nil
    }
}
