import HeapModel

/// How an operation names an allocation.
///
/// Hand-written traces and lessons name allocations symbolically (`id=buf`); recordings and
/// workloads name them by address (`ptr=0x…`). A `.pointer` that no allocation was made under is
/// taken literally, which is how a recording replays misuse (a double free names the freed address
/// again); for page operations it is a page frame number.
public enum Handle: Hashable, Sendable, CustomStringConvertible {
    /// A symbolic name from a hand-written trace.
    case id(String)
    /// An address (or, for pages, a pfn) as a recording writes it.
    case pointer(UInt64)

    /// The handle of an address.
    public init(_ address: VirtualAddress) { self = .pointer(address.rawValue) }

    /// The handle of a page block, by its first frame.
    public init(_ pfn: PageFrameNumber) { self = .pointer(UInt64(pfn.rawValue)) }

    /// `id=NAME` or `ptr=0xADDR`, as the trace format writes it.
    public var description: String {
        switch self {
        case .id(let name): "id=\(name)"
        case .pointer(let p): "ptr=0x" + String(p, radix: 16)
        }
    }
}
