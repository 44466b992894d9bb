import HeapModel

/// One operation repeated over a numbered range of ids, as a lesson writes it: `id=o1..o64` makes
/// or frees `o1` to `o64`; an open range `id=p1..` allocates until the allocator refuses, or frees
/// every id of the range still live. Any range of allocations stops at the first that fails (the
/// ids after it are not made), and a range of frees passes over ids that are not live. A page free may keep a pattern of blocks (`keep=1/8`), the
/// way page cache left behind pins free memory into small blocks.
///
/// # Invariants
/// - `template` is an allocation or a free that names an allocation (it has a handle).
/// - `first >= 0`, and `last >= first` when given.
public struct Batch: Hashable, Sendable {
    /// Blocks a page free leaves allocated: those whose `(pfn >> order) % every < count`.
    public struct Keep: Hashable, Sendable {
        /// How many of each group stay.
        public var count: Int
        /// The group's size in blocks.
        public var every: Int

        /// A pattern keeping `count` blocks of every `every`.
        public init(count: Int, every: Int) {
            self.count = count
            self.every = every
        }
    }

    /// The operation, its handle to be replaced by each id of the range.
    public var template: Operation
    /// The ids' common prefix (`o` for `o1..o64`).
    public var prefix: String
    /// The first number.
    public var first: Int
    /// The last number; nil for an open range.
    public var last: Int?
    /// The blocks a page free keeps.
    public var keep: Keep?

    /// The most operations one range runs: a line's events stay in memory until the line is done,
    /// so a range is bounded (about 150 MB of events at most) whatever `--ram` is.
    public static let openLimit = 1 << 20

    /// A batch.
    public init(_ template: Operation, prefix: String, first: Int, last: Int?, keep: Keep? = nil) {
        self.template = template
        self.prefix = prefix
        self.first = first
        self.last = last
        self.keep = keep
    }

    /// The range as the trace format writes it: `o1..o64`, or `p1..` when open.
    public var range: String { prefix + String(first) + ".." + (last.map { prefix + String($0) } ?? "") }
}

extension Operation {
    /// Whether this operation allocates (and so names what it makes).
    public var allocates: Bool {
        switch self {
        case .kmalloc, .vmalloc, .kvmalloc, .kmemCacheAlloc, .allocPages: return true
        default: return false
        }
    }

    /// This operation naming the allocation `h` instead (for the operations that name one).
    public func naming(_ h: Handle) -> Operation {
        switch self {
        case let .kmalloc(_, size, flags, site): return .kmalloc(h, size: size, flags: flags, site: site)
        case let .kfree(_, site): return .kfree(h, site: site)
        case let .vmalloc(_, size, align, flags, site): return .vmalloc(h, size: size, align: align, flags: flags, site: site)
        case let .vfree(_, site): return .vfree(h, site: site)
        case let .kvmalloc(_, size, align, flags, site): return .kvmalloc(h, size: size, align: align, flags: flags, site: site)
        case let .kvfree(_, site): return .kvfree(h, site: site)
        case let .kmemCacheAlloc(cache, _, flags, site): return .kmemCacheAlloc(cache: cache, h, flags: flags, site: site)
        case let .kmemCacheFree(cache, _, site): return .kmemCacheFree(cache: cache, h, site: site)
        case let .allocPages(_, order, flags, owner): return .allocPages(h, order: order, flags: flags, owner: owner)
        case .freePages: return .freePages(h)
        default: return self
        }
    }
}

extension OperationRunner {
    /// Runs `batch`: each id of its range in turn, each operation recorded on its own.
    mutating func run(_ batch: Batch, on machine: inout Machine) throws(OperationError) -> Outcome {
        let allocating = batch.template.allocates
        let end = batch.last ?? min(batch.first + Batch.openLimit - 1, allocating ? Int.max : (rangeEnds[batch.prefix] ?? batch.first - 1))
        var n = batch.first
        while n <= end {
            let h = Handle.id(batch.prefix + String(n))
            n += 1
            // A free passes over what is not live (never made, or already freed by a pattern).
            if !allocating && live[h] == nil && pages[h] == nil { continue }
            if let keep = batch.keep, let block = pages[h], (block.pfn.rawValue >> block.order.rawValue) % keep.every < keep.count { continue }
            let outcome = try apply(batch.template.naming(h), to: &machine)
            guard allocating else { continue }
            rangeEnds[batch.prefix] = max(rangeEnds[batch.prefix] ?? 0, n - 1)
            let failed = outcome == .address(VirtualAddress?.none) || outcome == .pages(PageFrameNumber?.none)
            if failed { break }
        }
        return .done
    }
}
