/// Small text helpers shared by the exercises.
enum Phrase {
    /// `pfn 256 (order 3)` for each block, joined.
    static func blocks(_ blocks: [(pfn: Int, order: Int)]) -> String {
        blocks.isEmpty ? "none" : blocks.map { "\($0.pfn) (order \($0.order))" }.joined(separator: ", ")
    }

    /// "1 page" / "8 pages".
    static func pages(_ n: Int) -> String { n == 1 ? "1 page" : "\(n) pages" }

    /// "1 object" / "3 objects" and the like.
    static func count(_ n: Int, _ noun: String) -> String { n == 1 ? "1 \(noun)" : "\(n) \(noun)s" }
}
