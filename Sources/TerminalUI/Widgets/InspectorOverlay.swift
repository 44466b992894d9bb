import HeapModel

/// The page under the page-map cursor, over the page map: what it is and who placed it there, its
/// owner's details (a slab page's objects with their call sites, a vmalloc area and its caller, a
/// large kmalloc's request), then a hexdump as `xxd` would show it.
public struct InspectorOverlay: Widget {
    /// The hexdump lines of `count` bytes of frame `pfn` (direct-map address, 16 bytes a line).
    public static func hexdump(_ machine: Machine, pfn: PageFrameNumber, count: Int) -> [String] {
        let base = VirtualAddress.directMap(pfn)
        guard let bytes = machine.readBytes(at: base, count: count) else { return ["(no memory behind this frame)"] }
        var lines: [String] = []
        for row in stride(from: 0, to: bytes.count, by: 16) {
            let chunk = bytes[row..<min(row + 16, bytes.count)]
            var hexPart = ""
            for (k, b) in chunk.enumerated() {
                hexPart += (b < 16 ? "0" : "") + String(b, radix: 16) + (k % 2 == 1 ? " " : "")
            }
            let ascii = String(chunk.map { $0 >= 32 && $0 < 127 ? Character(Unicode.Scalar($0)) : "." })
            let offset = String(row, radix: 16)
            lines.append(String(repeating: "0", count: 4 - offset.count) + offset + ": " + padRight(hexPart, 40) + " " + ascii)
        }
        return lines
    }

    /// What to show.
    public let statistics: InspectorStatistics
    /// Colours.
    public let theme: Theme

    /// An inspector of `statistics`.
    public init(_ statistics: InspectorStatistics, theme: Theme) {
        self.statistics = statistics
        self.theme = theme
    }

    /// The overlay's rectangle over a page map drawn in `area`.
    public static func rect(over area: Rect) -> Rect {
        Rect(x: area.x + 1, y: area.y + 2, width: min(area.width - 2, 76), height: max(3, area.height - 3))
    }

    /// Draws the inspector over `area`, the page map's.
    public func render(area: Rect, buffer: inout CellBuffer) {
        let rect = Self.rect(over: area)
        buffer.fill(rect)
        buffer.box(rect, title: "Inspector — pfn \(hexString(statistics.pfn.rawValue)) (Esc closes)", style: theme.focusedBorder)
        let room = rect.height - 2
        // The explanation first (up to two thirds of the room), the bytes below it.
        let shown = Array(statistics.explained.prefix(max(1, room * 2 / 3)))
        for (k, line) in shown.enumerated() {
            buffer.put(line, x: rect.x + 1, y: rect.y + 1 + k, style: k == 0 ? CellStyle(bold: true) : .plain, clip: rect.inner)
        }
        let dumpRows = room - shown.count
        guard dumpRows > 0 else { return }
        for (k, line) in statistics.hexdump.prefix(dumpRows).enumerated() {
            buffer.put(line, x: rect.x + 1, y: rect.y + 1 + shown.count + k, style: theme.muted, clip: rect.inner)
        }
    }
}
