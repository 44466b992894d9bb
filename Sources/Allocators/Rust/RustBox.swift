import HeapModel

/// The kernel's Rust `Box<T, A>` (`KBox`, `VBox`, `KVBox`): one value in the machine's memory.
public struct RustBox<T: BitwiseCopyable, A: Allocator>: Sendable {
    /// Where the value lives (dangling for a zero-sized `T`).
    public let pointer: VirtualAddress

    /// `Box::new(value, flags)`: allocates `Layout::new::<T>()` and writes the value.
    public init(_ value: T, flags: GFPFlags, in machine: inout Machine) throws(AllocError) {
        guard let layout = Layout(size: MemoryLayout<T>.size, align: MemoryLayout<T>.alignment) else { throw AllocError(.tooLarge) }
        if layout.size == 0 { pointer = VirtualAddress(UInt64(layout.align)); return }
        pointer = try A.alloc(layout, flags: flags, in: &machine).pointer
        machine.writeBytes(withUnsafeBytes(of: value) { Array($0) }, at: pointer)
    }

    /// The value, read back from the machine.
    public func value(in machine: Machine) -> T? {
        guard MemoryLayout<T>.size > 0 else { return nil }
        return machine.readBytes(at: pointer, count: MemoryLayout<T>.size)?.withUnsafeBytes { $0.loadUnaligned(as: T.self) }
    }

    /// Drop: `A::free(ptr, Layout::new::<T>())`.
    public func drop(in machine: inout Machine) throws(AllocError) {
        guard MemoryLayout<T>.size > 0, let layout = Layout(size: MemoryLayout<T>.size, align: MemoryLayout<T>.alignment) else { return }
        try A.free(pointer, layout: layout, in: &machine)
    }
}

/// `KBox<T>`.
public typealias KBox<T: BitwiseCopyable> = RustBox<T, Kmalloc>

/// `VBox<T>`.
public typealias VBox<T: BitwiseCopyable> = RustBox<T, Vmalloc>

/// `KVBox<T>`.
public typealias KVBox<T: BitwiseCopyable> = RustBox<T, KVmalloc>
