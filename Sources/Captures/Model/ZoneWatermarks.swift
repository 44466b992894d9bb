/// A zone's watermarks in pages, as `/proc/zoneinfo` prints them.
public struct ZoneWatermarks: Hashable, Sendable {
    /// `min`: below this only atomic and reclaiming allocations proceed.
    public var min: Int
    /// `low`: below this kswapd is woken.
    public var low: Int
    /// `high`: kswapd reclaims until free pages are above this.
    public var high: Int
    /// `boost`: the temporary raise after fragmenting fallbacks, when printed.
    public var boost: Int?
    /// `promo`: the memory-tiering promotion mark, printed by 6.12 but not 6.1.
    public var promo: Int?

    /// Watermarks with the three marks every kernel prints.
    ///
    /// - Parameters:
    ///   - min: The min mark.
    ///   - low: The low mark.
    ///   - high: The high mark.
    ///   - boost: The boost, when printed.
    ///   - promo: The promo mark, when printed.
    public init(min: Int, low: Int, high: Int, boost: Int? = nil, promo: Int? = nil) {
        self.min = min
        self.low = low
        self.high = high
        self.boost = boost
        self.promo = promo
    }
}
