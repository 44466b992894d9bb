/// The call chains a trace recorded for its call sites (`perf script -g`): frame names and stacks
/// interned, and how often each stack reached each site.
///
/// Everything is bounded, so an endless trace of new stacks keeps memory flat: at most
/// ``maxDepth`` frames a stack (deeper frames are counted in ``droppedFrames``), ``maxFrames``
/// distinct frame names, ``maxStacks`` distinct stacks and ``maxPairs`` distinct (site, stack)
/// pairs; what did not fit is counted in ``droppedStacks``.
///
/// # Invariants
/// `stackStarts` has one more entry than there are stacks, starts at 0 and never decreases; every
/// frame id in `stackFrames` indexes `frameNames`.
public struct CallStacks: Sendable {
    /// Frames kept of one stack, innermost first (perf prints up to 127).
    public static let maxDepth = 32
    /// Distinct frame names kept.
    public static let maxFrames = 1 << 16
    /// Distinct stacks kept.
    public static let maxStacks = 1 << 16
    /// Distinct (site, stack) pairs counted.
    public static let maxPairs = 1 << 17

    /// Interned frame names, as perf prints them (`sym+0xoff`, user frames with their object).
    public private(set) var frameNames: [String] = []
    private var frameIndex: [String: UInt32] = [:]
    /// The frames of every stack, one after the other; stack `s` is `stackStarts[s]..<stackStarts[s+1]`.
    private var stackFrames: [UInt32] = []
    private var stackStarts: [Int32] = [0]
    private var stackIndex: [[UInt32]: UInt32] = [:]
    /// Times each stack reached each site, keyed `site << 32 | stack`.
    private var uses: [UInt64: Int] = [:]
    /// Frames beyond ``maxDepth`` left out of their stacks.
    public internal(set) var droppedFrames = 0
    /// Stacks not recorded because a bound was reached.
    public internal(set) var droppedStacks = 0

    /// No stacks.
    public init() {}

    /// Whether no stack was recorded.
    public var isEmpty: Bool { uses.isEmpty }

    /// Distinct stacks recorded.
    public var stackCount: Int { stackStarts.count - 1 }

    /// The id of a frame name, interning it; nil once ``maxFrames`` names are kept.
    public mutating func frame(_ name: String) -> UInt32? {
        if let id = frameIndex[name] { return id }
        guard frameNames.count < CallStacks.maxFrames else { return nil }
        let id = UInt32(frameNames.count)
        frameNames.append(name)
        frameIndex[name] = id
        return id
    }

    /// The id of a stack of frame ids (innermost first, at most ``maxDepth``), interning it; nil
    /// once ``maxStacks`` stacks are kept.
    /// - Precondition: every id came from ``frame(_:)``.
    public mutating func stack(_ frames: [UInt32]) -> UInt32? {
        if let id = stackIndex[frames] { return id }
        guard stackCount < CallStacks.maxStacks else { return nil }
        precondition(frames.allSatisfy { Int($0) < frameNames.count }, "a stack names a frame that was never interned")
        let id = UInt32(stackCount)
        stackFrames += frames.prefix(CallStacks.maxDepth)
        // INVARIANT: one more start, at the end of the frames just added.
        stackStarts.append(Int32(stackFrames.count))
        stackIndex[frames] = id
        return id
    }

    /// Counts one use of `stack` at `site`.
    public mutating func note(_ stack: UInt32, at site: CallSite) {
        let key = UInt64(site.rawValue) << 32 | UInt64(stack)
        if let n = uses[key] { uses[key] = n + 1; return }
        guard uses.count < CallStacks.maxPairs else { droppedStacks += 1; return }
        uses[key] = 1
    }

    /// Counts a stack that could not be kept.
    public mutating func noteDropped() { droppedStacks += 1 }

    /// Counts frames left out of a stack for its depth.
    public mutating func noteDroppedFrames(_ n: Int) { droppedFrames += n }

    /// The frame names of stack `id`, innermost first.
    public func frames(of id: UInt32) -> [String] {
        let s = Int(id)
        guard s + 1 < stackStarts.count else { return [] }
        return stackFrames[Int(stackStarts[s])..<Int(stackStarts[s + 1])].map { frameNames[Int($0)] }
    }

    /// One stack of a site and how often it reached it.
    public struct SiteStack: Hashable, Sendable {
        /// The frames, innermost first, as the trace printed them.
        public let frames: [String]
        /// Times the site was reached through these frames.
        public let count: Int
    }

    /// Every site a stack reached, with its traced calls, the most called first (ties by site id).
    /// - Complexity: O(pairs).
    public func sitesByCalls() -> [(site: CallSite, calls: Int)] {
        var calls: [UInt32: Int] = [:]
        for (key, n) in uses { calls[UInt32(truncatingIfNeeded: key >> 32), default: 0] += n }
        return calls.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.map { (CallSite(rawValue: $0.key), $0.value) }
    }

    /// The stacks that reached `site`, the most frequent first (ties by stack id, the first seen first).
    /// - Complexity: O(pairs).
    public func stacks(of site: CallSite) -> [SiteStack] {
        let ids = uses.compactMap { key, n in key >> 32 == UInt64(site.rawValue) ? (UInt32(truncatingIfNeeded: key), n) : nil }
        return ids.sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }.map { SiteStack(frames: frames(of: $0.0), count: $0.1) }
    }
}
