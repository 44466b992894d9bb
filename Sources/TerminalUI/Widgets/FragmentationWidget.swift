import HeapModel

/// Free blocks per order as bars (buddyinfo), the extfrag and unusable indices per order, free
/// memory and the largest free block, and a sparkline of fragmentation over the run.
public struct FragmentationWidget {
    /// What to draw.
    public let snapshot: FrameSnapshot
    /// Colours.
    public let theme: Theme

    /// A fragmentation widget.
    public init(snapshot: FrameSnapshot, theme: Theme) {
        self.snapshot = snapshot
        self.theme = theme
    }

    /// Draws into `layout.fragmentation`.
    public func render(into buffer: inout CellBuffer, layout: ScreenLayout, state: ViewState) {
        let area = layout.fragmentation
        let zones = snapshot.machine.populatedZones
        guard !zones.isEmpty else { return }
        // The zone to detail: the largest by default; left/right choose another.
        let ordered = zones.reversed().map { $0 }
        let zone = ordered[min(state.zoneChoice, ordered.count - 1)]
        buffer.box(area, title: "Fragmentation — zone \(zone.kind) (←/→ zone)",
                   style: state.focus == .fragmentation ? theme.focusedBorder : theme.border)
        let inner = area.inner
        var y = inner.y
        for z in zones {
            let largest = Fragmentation.largestFreeOrder(nrFree: z.nrFree)
            let text = "\(padRight(z.kind.description, 6)) free \(ByteSize.format(UInt64(z.freePages * Page.size))) of "
                + "\(ByteSize.format(UInt64(z.managedPages * Page.size))), largest "
                + (largest.map { "order \($0) (\(ByteSize.format(UInt64(Page.size << $0))))" } ?? "none")
                + (z.level <= .belowLow ? "  below \(z.level == .belowMin ? "min" : "low")" : "")
            buffer.put(text, x: inner.x, y: y, style: z.kind == zone.kind ? CellStyle(bold: true) : .plain, clip: inner)
            y += 1
        }
        guard y < inner.y + inner.height else { return }
        buffer.put("ord  free blocks", x: inner.x, y: y, style: theme.header, clip: inner)
        buffer.put("extfrag unusable", x: inner.x + inner.width - 16, y: y, style: theme.header, clip: inner)
        y += 1
        let maxBlocks = max(1, zone.nrFree.max() ?? 1)
        let barWidth = max(4, inner.width - 30)
        let rowsLeft = inner.y + inner.height - y - 1
        guard rowsLeft >= Page.orderCount else {
            // Too few rows for a bar per order: every order in columns, so none is left out.
            drawCompact(zone, into: &buffer, from: y - 1, inner: inner)
            drawHistory(into: &buffer, inner: inner)
            return
        }
        for order in 0..<Page.orderCount where y < inner.y + inner.height - 1 {
            let n = zone.nrFree[order]
            let filled = n == 0 ? 0 : max(1, n * (barWidth - 7) / maxBlocks)
            var x = buffer.put(pad(String(order), 3) + "  ", x: inner.x, y: y, clip: inner)
            for _ in 0..<filled {
                buffer.set(x, y, Cell("■", style: CellStyle(fg: theme.color(.free(order: order)))), clip: inner)
                x += 1
            }
            x = buffer.put(" " + String(n), x: x, y: y, clip: inner)
            let extfrag = Fragmentation.extfragIndex(nrFree: zone.nrFree, order: order)
            let unusable = Fragmentation.unusableIndex(nrFree: zone.nrFree, order: order)
            let indices = pad(Fragmentation.formatExtfrag(extfrag), 7) + " " + pad(Fragmentation.formatUnusable(unusable), 8)
            buffer.put(indices, x: inner.x + inner.width - 16, y: y, style: extfrag > 500 ? theme.warning : .plain, clip: inner)
            y += 1
        }
        drawHistory(into: &buffer, inner: inner)
    }

    /// The history line: unusable index at order 3, newest right.
    func drawHistory(into buffer: inout CellBuffer, inner: Rect) {
        let spark = Sparkline.render(snapshot.history, width: max(0, inner.width - 22), maximum: 1000)
        buffer.put("unusable@3 history " + spark, x: inner.x, y: inner.y + inner.height - 1, style: theme.muted, clip: inner)
    }

    /// Orders 0-10 as columns: free blocks, then the extfrag index (`-` when a block is free, else
    /// its three decimals), from row `y` on.
    func drawCompact(_ zone: Zone, into buffer: inout CellBuffer, from y: Int, inner: Rect) {
        // Three columns an order; the row labels shrink to their initials when 11 columns leave no room.
        let column = 3
        let labelWidth = max(0, min(4, inner.width - column * Page.orderCount))
        func label(_ word: String) -> String { labelWidth >= 4 ? word + " " : String(word.prefix(labelWidth)) }
        var x = buffer.put(label("ord"), x: inner.x, y: y, style: theme.header, clip: inner)
        for order in 0..<Page.orderCount { x = buffer.put(pad(String(order), column), x: x, y: y, style: theme.header, clip: inner) }
        guard y + 1 < inner.y + inner.height - 1 else { return }
        x = buffer.put(label("blk"), x: inner.x, y: y + 1, clip: inner)
        for order in 0..<Page.orderCount {
            let n = zone.nrFree[order]
            let text = Self.compactCount(n)
            x = buffer.put(pad(text, column), x: x, y: y + 1, style: CellStyle(fg: n > 0 ? theme.color(.free(order: order)) : .standard), clip: inner)
        }
        guard y + 2 < inner.y + inner.height - 1 else { return }
        x = buffer.put(label("ext"), x: inner.x, y: y + 2, style: theme.muted, clip: inner)
        for order in 0..<Page.orderCount {
            let e = Fragmentation.extfragIndex(nrFree: zone.nrFree, order: order)
            let text = e < 0 ? "-" : (e >= 1000 ? "1" : "." + String(format3(e)).prefix(2))
            x = buffer.put(pad(text, column), x: x, y: y + 2, style: e > 500 ? theme.warning : theme.muted, clip: inner)
        }
    }

    /// A block count in at most three characters: `999`, `12k`, `.4M`, `37M` (rounded down).
    public static func compactCount(_ n: Int) -> String {
        switch n {
        case ..<1000: String(n)
        case ..<100_000: "\(n / 1000)k"
        case ..<1_000_000: ".\(n / 100_000)M"
        default: "\(min(n / 1_000_000, 99))M"
        }
    }

    /// Three digits of an index in thousandths.
    func format3(_ v: Int) -> String { String(repeating: "0", count: max(0, 3 - String(v).count)) + String(v) }
}

/// Unicode block sparklines.
public enum Sparkline {
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// The last `width` values as a sparkline scaled to `maximum`.
    public static func render(_ values: [Int], width: Int, maximum: Int) -> String {
        guard width > 0 else { return "" }
        return String(values.suffix(width).map { v in levels[min(7, max(0, v * 8 / max(maximum + 1, 1)))] })
    }
}
