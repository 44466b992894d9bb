import HeapModel

/// Compaction as a placed replay can follow it: kcompactd's frees of pages in use are migrations,
/// whose targets the kernel took off the free lists without an event; memtop takes a stand-in
/// for each where the free scanner would look (``Machine/isolateMigrationTarget(order:zone:cursor:)``).
///
/// Direct compaction, in the allocating task, is not told apart from other frees: its targets stay
/// free in memtop (documented in docs/decisions.md §34).
///
/// # Invariants
/// Every pfn in `targets` heads a block memtop took as a stand-in and has not freed since.
struct CompactionTargets {
    /// Stand-ins by zone, oldest first.
    private var targets: [[Int]] = Array(repeating: [], count: ZoneKind.allCases.count)
    private var held: Set<Int> = []
    private var cursors = Array(repeating: Int.max, count: ZoneKind.allCases.count)
    /// Stand-ins taken, and migrations for which no free block was found.
    private(set) var taken = 0, missed = 0

    /// Whether the line is from a `kcompactd` thread (its first word: ftrace, trace-cmd report and
    /// perf script all start a line with the task's name).
    static func isCompactionTask(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        // ftrace right-aligns the name in 16 columns: skip its padding eight spaces at a time.
        if let base = bytes.baseAddress {
            while i + 8 <= bytes.count && UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self) == 0x2020_2020_2020_2020 { i += 8 }
        }
        while i < bytes.count && bytes[i] == 32 { i += 1 }
        guard bytes.count - i >= 9 else { return false }
        // "kcompactd", compared in place: this runs for every page free.
        return bytes[i] == 0x6b && bytes[i + 1] == 0x63 && bytes[i + 2] == 0x6f && bytes[i + 3] == 0x6d && bytes[i + 4] == 0x70
            && bytes[i + 5] == 0x61 && bytes[i + 6] == 0x63 && bytes[i + 7] == 0x74 && bytes[i + 8] == 0x64
    }

    /// A stand-in for the target of a migrated block of `order` near `pfn`, in its zone.
    mutating func isolateTarget(order: Int, near pfn: PageFrameNumber, on machine: inout Machine) {
        guard let zone = machine.zone(containing: pfn) else { return }
        let z = zone.rawValue
        if let target = machine.isolateMigrationTarget(order: Order(order), zone: zone, cursor: &cursors[z]) {
            targets[z].append(target.rawValue)
            held.insert(target.rawValue)
            taken += 1
        } else {
            missed += 1
        }
    }

    /// Whether `pfn` is a stand-in (kcompactd releasing isolated pages it did not use); it is one no more.
    mutating func release(_ pfn: Int) -> Bool {
        guard held.remove(pfn) != nil else { return false }
        for z in targets.indices { if let k = targets[z].firstIndex(of: pfn) { targets[z].remove(at: k); break } }
        return true
    }

    /// Frees the oldest stand-in of `order` in the zone of `pfn`, for a traced free of a page
    /// memtop holds as free (the kernel's own target, elsewhere).
    /// - Returns: false when the zone has none.
    mutating func freeStandIn(order: Int, zoneOf pfn: PageFrameNumber, cpu: Int, on machine: inout Machine) -> Bool {
        guard !held.isEmpty, let zone = machine.zone(containing: pfn) else { return false }
        let z = zone.rawValue
        // A stand-in the trace has since allocated or freed (placing moves memtop's own blocks aside)
        // is no longer memtop's: only one still held as memtop placed it can go.
        guard let k = targets[z].firstIndex(where: {
            let p = PageFrameNumber($0)
            return machine.blockOrder(at: p) == order && machine.owner(of: p) == .outside && machine.placement(of: p) == .simulated
        }) else { return false }
        let target = targets[z].remove(at: k)
        held.remove(target)
        let outcome = machine.releaseBlock(at: PageFrameNumber(target), order: Order(order), cpu: cpu)
        return outcome == .freed || outcome == .toPerCPU
    }
}
