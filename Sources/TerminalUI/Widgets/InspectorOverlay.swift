import HeapModel

/// A hexdump of the page under the page-map cursor, as `xxd` would show it, over the page map.
public struct InspectorOverlay {
    /// The hexdump lines of `count` bytes of frame `pfn` (direct-map address, 16 bytes a line).
    public static func hexdump(_ machine: Machine, pfn: Int, count: Int) -> [String] {
        let base = VirtualAddress.directMap(PageFrameNumber(pfn))
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

    /// Draws the inspector over the page map area.
    public static func render(into buffer: inout CellBuffer, snapshot: FrameSnapshot, layout: ScreenLayout, state: ViewState, theme: Theme) {
        let area = layout.pageMap
        let rect = Rect(x: area.x + 1, y: area.y + 2, width: min(area.width - 2, 66), height: max(3, area.height - 3))
        buffer.fill(rect)
        buffer.box(rect, title: "Inspector — pfn \(hexString(state.cursor)) (Esc closes)", style: theme.focusedBorder)
        let lines = hexdump(snapshot.machine, pfn: state.cursor, count: 16 * max(1, rect.height - 3))
        buffer.put(snapshot.machine.describeFrame(state.cursor), x: rect.x + 1, y: rect.y + 1, style: CellStyle(bold: true), clip: rect.inner)
        for (k, line) in lines.prefix(rect.height - 3).enumerated() {
            buffer.put(line, x: rect.x + 1, y: rect.y + 2 + k, clip: rect.inner)
        }
    }
}
