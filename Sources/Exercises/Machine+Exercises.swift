import HeapModel

/// What the exercises read off a machine for their settings and answers.
extension Machine {
    /// The free blocks heading inside `range`, as (first frame, order), lowest frame first.
    /// - Complexity: O(range.count).
    func freeBlocks(in range: Range<Int>) -> [(pfn: Int, order: Int)] {
        var out: [(pfn: Int, order: Int)] = []
        var p = range.lowerBound
        while p < range.upperBound {
            let pfn = PageFrameNumber(p)
            if owner(of: pfn) == .free, let order = blockOrder(at: pfn) {
                out.append((p, order))
                p += 1 << order
            } else {
                p += 1
            }
        }
        return out
    }

    /// The buddyinfo line of one zone (`Node 0, zone DMA ...`), as `/proc/buddyinfo` prints it.
    func buddyinfoLine(_ zone: ZoneKind) -> String {
        let name = "zone " + String(repeating: " ", count: max(0, 8 - zone.description.count)) + zone.description + " "
        return buddyinfo().split(separator: "\n").first { $0.contains(name) }.map { String($0).trimmingTrailingSpaces } ?? ""
    }
}
