import HeapModel

/// What the replayer keeps to read `perf script -g` call chains: the event waiting for its chain,
/// and caches from a frame's text and a chain's frames to their interned ids.
///
/// An event printed by `perf script` is held until the line after its chain (a blank line or the
/// next event), so that its call site can be the chain's first frame outside the allocator. Every
/// cache is bounded by the bounds of ``CallStacks``.
struct CallChainReader {
    /// An event held for its chain.
    struct Pending {
        var d: DecodedLine
        /// The event's text (its line's bytes are gone by the time the chain ends).
        var bytes: [UInt8]
        var error: TraceInputError?
        /// Whether the event has a call site to give the chain to (page events have none).
        var keepsChain: Bool
        /// Frame ids, innermost first; bit 31 set on frames outside the allocator.
        var frames: [UInt32] = []
        /// Frames past the depth bound or the frame-name bound.
        var dropped = 0
    }

    /// Set and cleared only with ``holding``.
    var pending: Pending?
    /// Whether an event is held: the one question every line asks, answered without touching the
    /// held event (an optional of it, compared with nil, was copied out on each line).
    var holding = false
    /// Frame ids by the hash of the frame's text, bit 31 set when the frame can be a call site.
    var frameIDs = PointerMap<UInt32>(filler: 0)
    /// Stack ids by the hash of their frame ids.
    var stackIDs = PointerMap<UInt32>(filler: 0)
    /// The call site each frame id names, once asked.
    var frameSites: [UInt32: CallSite] = [:]

    static let outsideAllocator: UInt32 = 1 << 31

    /// Whether `event` carries a call site.
    static func hasSite(_ event: TraceEvent) -> Bool {
        switch event {
        case .kmalloc, .kmallocNode, .kmemCacheAlloc, .kmemCacheAllocNode, .kfree, .kmemCacheFree, .kpVmalloc: true
        default: false
        }
    }

    /// A 64-bit hash of a stack's frame ids.
    static func hash(_ frames: [UInt32]) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for f in frames { h = (h ^ UInt64(f)) &* 0x100_0000_01b3; h ^= h >> 29 }
        return h ^ UInt64(frames.count) &* 0x9E37_79B9_7F4A_7C15
    }
}
