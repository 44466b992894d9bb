import HeapModel

/// The kernel's Rust `Vec<T, A>` (`KVec`, `VVec`, `KVVec`): a growable array whose buffer lives in
/// the simulated machine, grown through `A::realloc` with the merged policy
/// `new_cap = max(2 * cap, len + additional)`, so pushes from empty give capacities 1, 2, 4, 8, ...
///
/// # Invariants
/// - `length <= capacity`; with `capacity > 0` (and a sized `T`) `pointer` is a live allocation of
///   `A` with layout `Layout.array(T, capacity)`; with `capacity == 0` it is dangling.
public struct RustVec<T: BitwiseCopyable, A: Allocator>: Sendable {
    /// The buffer (dangling, equal to the alignment, while nothing is allocated).
    public private(set) var pointer: VirtualAddress
    /// Elements the buffer holds room for.
    public private(set) var capacity: Int
    /// Elements in use.
    public private(set) var length: Int

    static var stride: Int { MemoryLayout<T>.stride }
    static var alignment: Int { MemoryLayout<T>.alignment }

    /// `Vec::new()`: allocates nothing. A zero-sized `T` gets capacity `Int.max`.
    public init() {
        pointer = VirtualAddress(UInt64(Self.alignment))
        capacity = Self.stride == 0 ? Int.max : 0
        length = 0
    }

    /// `Vec::with_capacity(n, flags)`: allocates exactly `n` elements.
    public init(capacity n: Int, flags: GFPFlags, in machine: inout Machine) throws(AllocError) {
        self.init()
        try reserve(n, flags: flags, in: &machine)
    }

    var layout: Layout { Layout.array(elementSize: Self.stride, alignment: Self.alignment, count: capacity) ?? .unit }

    /// `reserve(additional, flags)`: grows to `max(2 * cap, len + additional)` through `A::realloc`
    /// when the spare capacity is short. On failure the vector is unchanged.
    public mutating func reserve(_ additional: Int, flags: GFPFlags, in machine: inout Machine) throws(AllocError) {
        guard capacity - length < additional else { return }
        let (needed, overflow) = length.addingReportingOverflow(additional)
        guard !overflow else { throw AllocError(.tooLarge) }
        let newCapacity = max(capacity.multipliedReportingOverflow(by: 2).overflow ? Int.max : capacity * 2, needed)
        guard let newLayout = Layout.array(elementSize: Self.stride, alignment: Self.alignment, count: newCapacity) else {
            throw AllocError(.tooLarge)
        }
        let old = capacity == 0 ? nil : pointer
        let allocation = try A.realloc(old, layout: newLayout, oldLayout: layout, flags: flags, in: &machine)
        // INVARIANT: the buffer now holds newCapacity elements.
        pointer = allocation.pointer
        capacity = newCapacity
    }

    /// `push(value, flags)`: appends, growing first if full.
    public mutating func push(_ value: T, flags: GFPFlags, in machine: inout Machine) throws(AllocError) {
        try reserve(1, flags: flags, in: &machine)
        let bytes = withUnsafeBytes(of: value) { Array($0) }
        machine.writeBytes(bytes, at: pointer.advanced(by: length * Self.stride))
        length += 1
    }

    /// The element at `index`, read back from the machine's memory.
    /// - Precondition: `index < length`.
    public func element(at index: Int, in machine: Machine) -> T? {
        guard index >= 0 && index < length, let bytes = machine.readBytes(at: pointer.advanced(by: index * Self.stride), count: Self.stride)
        else { return nil }
        return bytes.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
    }

    /// `truncate(n)`: drops elements past `n`; never frees.
    public mutating func truncate(_ n: Int) { length = min(length, max(n, 0)) }

    /// `clear()`: drops every element; never frees.
    public mutating func clear() { length = 0 }

    /// Shrinks the buffer to the length through `A::realloc` (as `IntoIter::collect` may).
    public mutating func shrinkToFit(flags: GFPFlags, in machine: inout Machine) throws(AllocError) {
        guard Self.stride > 0, capacity > length else { return }
        guard let newLayout = Layout.array(elementSize: Self.stride, alignment: Self.alignment, count: length) else { return }
        let allocation = try A.realloc(pointer, layout: newLayout, oldLayout: layout, flags: flags, in: &machine)
        pointer = allocation.pointer
        capacity = length
    }

    /// Drop: frees the buffer through `A::free` with its layout.
    public mutating func drop(in machine: inout Machine) throws(AllocError) {
        if capacity > 0 && Self.stride > 0 { try A.free(pointer, layout: layout, in: &machine) }
        self = RustVec()
    }
}

/// `KVec<T>`: a vector on Kmalloc.
public typealias KVec<T: BitwiseCopyable> = RustVec<T, Kmalloc>
/// `VVec<T>`: a vector on Vmalloc.
public typealias VVec<T: BitwiseCopyable> = RustVec<T, Vmalloc>
/// `KVVec<T>`: a vector on KVmalloc.
public typealias KVVec<T: BitwiseCopyable> = RustVec<T, KVmalloc>
