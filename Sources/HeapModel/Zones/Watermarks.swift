/// A zone's watermarks in pages, as `/proc/zoneinfo` prints them.
public struct Watermarks: Hashable, Sendable, Codable {
    /// Below this only `__GFP_HIGH`/atomic requests (and reclaim itself) may allocate.
    public var min: Int
    /// Below this kswapd is woken.
    public var low: Int
    /// kswapd reclaims until free pages are above this.
    public var high: Int
    /// Memory-tiering promotion mark (6.1+); memtop only reports it.
    public var promo: Int

    /// Watermarks as zoneinfo shows them.
    public init(min: Int, low: Int, high: Int, promo: Int) {
        self.min = min
        self.low = low
        self.high = high
        self.promo = promo
    }
}
