import HeapModel

/// Free blocks per order as bars (buddyinfo), the extfrag and unusable indices per order, free
/// memory and the largest free block, and a sparkline of fragmentation over the run.
public struct FragmentationWidget: Widget {
    /// The populated zones, lowest first.
    public let zones: [Zone]
    /// The zone to detail, counted from the top zone down.
    public let zoneChoice: Int
    /// The detailed zone's free blocks of each order over the run, `[order][sample]`.
    public let zoneTimeline: [[Int]]
    /// The unusable index (×1000) at order 3 of the largest zone over the run.
    public let history: [Int]
    /// The panel has focus.
    public let focused: Bool
    /// Colours.
    public let theme: Theme

    /// A fragmentation panel of `zones`.
    public init(zones: [Zone], zoneChoice: Int = 0, zoneTimeline: [[Int]] = [], history: [Int] = [], focused: Bool, theme: Theme) {
        self.zones = zones
        self.zoneChoice = zoneChoice
        self.zoneTimeline = zoneTimeline
        self.history = history
        self.focused = focused
        self.theme = theme
    }

    /// Draws into `area`.
    public func render(area: Rect, buffer: inout CellBuffer) {
        guard !zones.isEmpty else { return }
        // The zone to detail: the largest by default; left/right choose another.
        let ordered = zones.reversed().map { $0 }
        let zone = ordered[min(zoneChoice, ordered.count - 1)]
        buffer.box(area, title: "Fragmentation — zone \(zone.kind) (←/→ zone)",
                   style: focused ? theme.focusedBorder : theme.border)
        let inner = area.inner
        var y = inner.y
        for z in zones {
            let largest = Fragmentation.largestFreeOrder(nrFree: z.nrFree)
            let text = "\(padRight(z.kind.description, 6)) free \(ByteSize.format(UInt64(z.freePages * Page.size))) of "
                + "\(ByteSize.format(UInt64(z.managedPages * Page.size))), largest "
                + (largest.map { "order \($0) (\(ByteSize.format(UInt64(Page.size << $0))))" } ?? "none")
                + (z.level <= .belowLow ? "  below \(z.level == .belowMin ? "min" : "low")" : "")
            buffer.put(TextFit.fit(text, width: inner.width), x: inner.x, y: y, style: z.kind == zone.kind ? CellStyle(bold: true) : .plain, clip: inner)
            y += 1
        }
        guard y < inner.y + inner.height else { return }
        buffer.put("ord  free blocks", x: inner.x, y: y, style: theme.header, clip: inner)
        buffer.put("extfrag unusable", x: inner.x + inner.width - 16, y: y, style: theme.header, clip: inner)
        if inner.width >= 60 && zoneTimeline.count == Page.orderCount && inner.y + inner.height - y - 2 >= Page.orderCount {
            buffer.put("history", x: inner.x + inner.width - 29, y: y, style: theme.header, clip: inner)
        }
        y += 1
        let maxBlocks = max(1, zone.nrFree.max() ?? 1)
        // Each order's free blocks over the run, right of its bar, when the panel is wide enough.
        let sparkWidth = inner.width >= 60 && zoneTimeline.count == Page.orderCount ? 12 : 0
        let barWidth = max(4, inner.width - 30 - (sparkWidth > 0 ? sparkWidth + 1 : 0))
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
            if sparkWidth > 0 {
                let series = zoneTimeline[order]
                buffer.put(Sparkline.whole(series, width: sparkWidth, maximum: max(1, series.max() ?? 1)),
                           x: inner.x + inner.width - 17 - sparkWidth, y: y, style: theme.muted, clip: inner)
            }
            let extfrag = Fragmentation.extfragIndex(nrFree: zone.nrFree, order: Order(order))
            let unusable = Fragmentation.unusableIndex(nrFree: zone.nrFree, order: Order(order))
            let indices = pad(Fragmentation.formatExtfrag(extfrag), 7) + " " + pad(Fragmentation.formatUnusable(unusable), 8)
            buffer.put(indices, x: inner.x + inner.width - 16, y: y, style: extfrag > 500 ? theme.warning : .plain, clip: inner)
            y += 1
        }
        drawHistory(into: &buffer, inner: inner)
    }

    /// The history line: unusable index at order 3, newest right.
    func drawHistory(into buffer: inout CellBuffer, inner: Rect) {
        let spark = Sparkline.render(history, width: max(0, inner.width - 22), maximum: 1000)
        buffer.put("unusable@3 history " + spark, x: inner.x, y: inner.y + inner.height - 1, style: theme.muted, clip: inner)
    }

    /// Orders 0-10 as columns, as many to a row as fit: the order, its free blocks, and (when rows
    /// allow) the extfrag index, `-` while a block that large is free, from row `y` on.
    func drawCompact(_ zone: Zone, into buffer: inout CellBuffer, from y: Int, inner: Rect) {
        // Four characters and a space an order, so no two numbers touch however large they get.
        let column = 5, labelWidth = 4
        let perRow = max(1, (inner.width - labelWidth) / column)
        let chunks = stride(from: 0, to: Page.orderCount, by: perRow).map { Array($0..<min($0 + perRow, Page.orderCount)) }
        let bottom = inner.y + inner.height - 1
        let withExtfrag = y + 3 * chunks.count <= bottom
        var row = y
        func line(_ label: String, _ style: CellStyle, _ cells: [(String, CellStyle)]) {
            guard row < bottom else { return }
            var x = buffer.put(padRight(label, labelWidth), x: inner.x, y: row, style: style, clip: inner)
            for (text, cellStyle) in cells { x = buffer.put(pad(text, column), x: x, y: row, style: cellStyle, clip: inner) }
            row += 1
        }
        for orders in chunks {
            line("ord", theme.header, orders.map { (String($0), theme.header) })
            line("blk", .plain, orders.map { order in
                let n = zone.nrFree[order]
                return (Self.compactCount(n), CellStyle(fg: n > 0 ? theme.color(.free(order: order)) : .standard))
            })
            guard withExtfrag else { continue }
            line("ext", theme.muted, orders.map { order in
                let e = Fragmentation.extfragIndex(nrFree: zone.nrFree, order: Order(order))
                return (e < 0 ? "-" : (e >= 1000 ? "1" : "." + format3(e)), e > 500 ? theme.warning : theme.muted)
            })
        }
    }

    /// A block count in at most four characters: `9999`, `123k`, `37M` (rounded down).
    public static func compactCount(_ n: Int) -> String {
        switch n {
        case ..<10_000: String(n)
        case ..<1_000_000: "\(n / 1000)k"
        default: "\(min(n / 1_000_000, 999))M"
        }
    }

    /// Three digits of an index in thousandths.
    func format3(_ v: Int) -> String { String(repeating: "0", count: max(0, 3 - String(v).count)) + String(v) }
}
