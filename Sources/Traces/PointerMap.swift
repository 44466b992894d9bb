import CPrefetch

/// A hash map from 64-bit keys (real kernel pointers, pfns, hashes of flag strings) to small values,
/// for the replay's per-line lookups.
///
/// `Dictionary` hashes every key with SipHash through `Hasher`, which was a sixth of a replay's time;
/// these keys need no protection against chosen collisions (the worst a crafted trace can do is slow
/// its own replay), so a multiplicative hash and linear probing do. Key and value sit side by side,
/// so a lookup usually touches one cache line.
///
/// # Invariants
/// - The capacity is a power of two and at most three quarters full.
/// - Every stored key sits at or after its home slot, with no empty slot between (linear probing
///   with backward-shift deletion, so there are no tombstones).
/// - `UInt64.max` marks an empty slot; an entry with that key is kept aside in `maxKeyValue`.
struct PointerMap<Value> {
    private struct Entry {
        var key: UInt64
        var value: Value
    }

    private var entries: ContiguousArray<Entry>
    private var shift: UInt64
    private let filler: Value
    private var maxKeyValue: Value?
    /// The number of keys.
    private(set) var count = 0

    private static var emptyKey: UInt64 { .max }

    /// An empty map; `filler` fills empty slots (never returned).
    init(filler: Value) {
        self.filler = filler
        entries = ContiguousArray(repeating: Entry(key: PointerMap.emptyKey, value: filler), count: 16)
        shift = 64 - 4
    }

    /// Whether the map is empty.
    var isEmpty: Bool { count == 0 }

    @inline(__always) private static func home(_ key: UInt64, _ shift: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// The value for `key`, or nil.
    subscript(key: UInt64) -> Value? {
        if key == PointerMap.emptyKey { return maxKeyValue }
        let mask = entries.count - 1
        var i = PointerMap.home(key, shift)
        return entries.withUnsafeBufferPointer { e in
            while true {
                let k = e[i].key
                if k == key { return e[i].value }
                if k == PointerMap.emptyKey { return nil }
                i = (i + 1) & mask
            }
        }
    }

    /// Starts loading the cache line where a lookup of `key` begins, so that a lookup a little
    /// later does not wait for memory.
    @inline(__always)
    func prefetch(_ key: UInt64) {
        let i = PointerMap.home(key, shift)
        entries.withUnsafeBufferPointer { memtop_prefetch($0.baseAddress! + i) }
    }

    /// Stores `value` for `key`; returns the value it replaces.
    @discardableResult
    mutating func updateValue(_ value: Value, forKey key: UInt64) -> Value? {
        if key == PointerMap.emptyKey {
            defer { maxKeyValue = value }
            if maxKeyValue == nil { count += 1 }
            return maxKeyValue
        }
        if (count + 1) * 4 > entries.count * 3 { grow() }
        let mask = entries.count - 1
        var i = PointerMap.home(key, shift)
        let replaced: Value? = entries.withUnsafeMutableBufferPointer { e in
            while true {
                let k = e[i].key
                if k == key {
                    let old = e[i].value
                    e[i].value = value
                    return old
                }
                if k == PointerMap.emptyKey {
                    e[i] = Entry(key: key, value: value)
                    return nil
                }
                i = (i + 1) & mask
            }
        }
        if replaced == nil { count += 1 }
        return replaced
    }

    /// Removes `key`; returns its value, or nil when it was absent.
    @discardableResult
    mutating func removeValue(forKey key: UInt64) -> Value? {
        if key == PointerMap.emptyKey {
            defer { maxKeyValue = nil }
            if maxKeyValue != nil { count -= 1 }
            return maxKeyValue
        }
        let mask = entries.count - 1
        let filler = self.filler, shift = self.shift
        var i = PointerMap.home(key, shift)
        let removed: Value? = entries.withUnsafeMutableBufferPointer { e in
            while true {
                let k = e[i].key
                if k == PointerMap.emptyKey { return nil }
                if k == key { break }
                i = (i + 1) & mask
            }
            let old = e[i].value
            // Backward shift: pull later entries of the run into the hole unless that would move
            // one before its home slot.
            var hole = i
            var j = (i + 1) & mask
            while e[j].key != PointerMap.emptyKey {
                let h = PointerMap.home(e[j].key, shift)
                if (j &- h) & mask >= (j &- hole) & mask {
                    e[hole] = e[j]
                    hole = j
                }
                j = (j + 1) & mask
            }
            e[hole] = Entry(key: PointerMap.emptyKey, value: filler)
            return old
        }
        if removed != nil { count -= 1 }
        return removed
    }

    private mutating func grow() {
        let old = entries
        entries = ContiguousArray(repeating: Entry(key: PointerMap.emptyKey, value: filler), count: old.count * 2)
        shift -= 1
        let mask = entries.count - 1, shift = self.shift
        entries.withUnsafeMutableBufferPointer { e in
            for entry in old where entry.key != PointerMap.emptyKey {
                var i = PointerMap.home(entry.key, shift)
                while e[i].key != PointerMap.emptyKey { i = (i + 1) & mask }
                e[i] = entry
            }
        }
    }
}
