/// Who decided where an allocated block lies.
public enum Placement: UInt8, Hashable, Sendable {
    /// memtop's own allocators chose it (a workload, or where a trace is silent).
    case simulated
    /// A trace says the kernel put it there (`mm_page_alloc pfn=`, an object's real address).
    case observed
    /// Rebuilt from a capture's /proc counts: something of this kind was allocated, but /proc does
    /// not say where, so memtop picked a place consistent with the counts.
    case reconstructed
}
