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
        let orders = rowsLeft >= Page.orderCount ? Array(0..<Page.orderCount) : Array(stride(from: 0, to: Page.orderCount, by: 2))
        for order in orders where y < inner.y + inner.height - 1 {
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
        // History: unusable index at order 3, newest right.
        let spark = Sparkline.render(snapshot.history, width: max(0, inner.width - 22), maximum: 1000)
        buffer.put("unusable@3 history " + spark, x: inner.x, y: inner.y + inner.height - 1, style: theme.muted, clip: inner)
    }
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
