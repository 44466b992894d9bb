import HeapModel

/// One row of the slab table, with slabtop's numbers.
public struct SlabRow: Hashable, Sendable {
    /// Cache name.
    public let name: String
    /// `num_objs`.
    public let objects: Int
    /// `active_objs`.
    public let active: Int
    /// Slot size in bytes.
    public let objectSize: Int
    /// Slabs.
    public let slabs: Int
    /// Objects per slab.
    public let objectsPerSlab: Int
    /// Pages per slab.
    public let pagesPerSlab: Int
    /// Full, partial and empty slabs.
    public let full: Int, partial: Int, empty: Int

    /// A row of these numbers.
    public init(name: String, objects: Int, active: Int, objectSize: Int, slabs: Int, objectsPerSlab: Int, pagesPerSlab: Int,
                full: Int, partial: Int, empty: Int) {
        self.name = name
        self.objects = objects
        self.active = active
        self.objectSize = objectSize
        self.slabs = slabs
        self.objectsPerSlab = objectsPerSlab
        self.pagesPerSlab = pagesPerSlab
        self.full = full
        self.partial = partial
        self.empty = empty
    }

    /// The row of cache `c` as it stands.
    public init(_ c: SlabCache) {
        self.init(name: c.name, objects: c.totalObjects, active: c.activeObjects, objectSize: c.geometry.size, slabs: c.slabCount,
                  objectsPerSlab: c.geometry.objectsPerSlab, pagesPerSlab: 1 << c.geometry.order,
                  full: c.fullSlabs, partial: max(0, c.slabCount - c.fullSlabs - c.emptySlabs), empty: c.emptySlabs)
    }

    /// Cache size in KiB, as slabtop computes it.
    public var cacheSizeKiB: Int { slabs * pagesPerSlab * Page.size / 1024 }
    /// Utilization in percent.
    public var use: Int { objects == 0 ? 0 : active * 100 / objects }

    /// The rows of every cache, sorted as slabtop sorts them (descending, name ascending).
    public static func rows(of machine: Machine, sort: SlabSort) -> [SlabRow] {
        let rows = machine.slabCaches.reversed().map(SlabRow.init)
        func key(_ r: SlabRow) -> Int {
            switch sort {
            case .activeObjects: return r.active
            case .objectsPerSlab: return r.objectsPerSlab
            case .cacheSize: return r.cacheSizeKiB
            case .slabs, .activeSlabs: return r.slabs
            case .name: return 0
            case .objects: return r.objects
            case .pagesPerSlab: return r.pagesPerSlab
            case .objectSize: return r.objectSize
            case .utilization: return r.use
            }
        }
        if sort == .name { return rows.sorted { $0.name < $1.name } }
        // Stable: ties keep slabinfo's order.
        return rows.enumerated().sorted { a, b in key(a.element) != key(b.element) ? key(a.element) > key(b.element) : a.offset < b.offset }
            .map(\.element)
    }

    /// Whether the row's name contains `search`, ignoring case (an empty search matches nothing).
    public func matches(_ search: String) -> Bool { !search.isEmpty && name.lowercased().contains(search.lowercased()) }

    /// The rows the table shows for `state`: sorted, and only the matches when filtering.
    public static func shown(of machine: Machine, state: ViewState) -> [SlabRow] {
        let rows = SlabRow.rows(of: machine, sort: state.slabSort)
        return state.filterToSearch && !state.search.isEmpty ? rows.filter { $0.matches(state.search) } : rows
    }

    /// The row a search jump lands on: the first match at (`fromHere`) or after (`next`) `row`,
    /// wrapping; `row` itself when nothing matches. `matches` says which rows match, in table order.
    public static func jump(_ jump: SearchJump, from row: Int, in matches: [Bool]) -> Int {
        guard !matches.isEmpty else { return 0 }
        let start = jump == .next ? row + 1 : row
        for k in 0..<matches.count where matches[(start + k) % matches.count] { return (start + k) % matches.count }
        return row
    }

    /// The row as slabtop prints it: `%6u %6u %3u%% %7.2fK %6u %8u %9uK %-23s`.
    public var slabtopLine: String {
        pad(String(objects), 6) + " " + pad(String(active), 6) + " " + pad(String(use), 3) + "% "
            + pad(kibibytes(objectSize), 7) + "K " + pad(String(slabs), 6) + " " + pad(String(objectsPerSlab), 8) + " "
            + pad(String(cacheSizeKiB), 9) + "K " + name
    }

    /// The compact row: objects, active, use, slabs, cache size, name.
    public var compactLine: String {
        pad(String(objects), 6) + " " + pad(String(active), 6) + " " + pad(String(use), 3) + "% " + pad(String(slabs), 6) + " "
            + pad(String(cacheSizeKiB), 9) + "K " + name
    }

    /// The narrowest row: objects, active, use, name.
    public var tinyLine: String {
        pad(String(objects), 6) + " " + pad(String(active), 6) + " " + pad(String(use), 3) + "% " + name
    }

    /// Bytes as KiB with two decimals, rounded to nearest (printf's `%.2f` for these exact binary fractions).
    func kibibytes(_ bytes: Int) -> String {
        let hundredths = (bytes * 100 + 512) / 1024
        return "\(hundredths / 100)." + (hundredths % 100 < 10 ? "0" : "") + "\(hundredths % 100)"
    }
}
