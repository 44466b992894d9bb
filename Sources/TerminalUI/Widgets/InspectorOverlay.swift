import HeapModel

/// The page under the page-map cursor, over the page map: what it is and who placed it there, its
/// owner's details (a slab page's objects with their call sites, a vmalloc area and its caller, a
/// large kmalloc's request), then a hexdump as `xxd` would show it.
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
        let rect = Rect(x: area.x + 1, y: area.y + 2, width: min(area.width - 2, 76), height: max(3, area.height - 3))
        buffer.fill(rect)
        buffer.box(rect, title: "Inspector — pfn \(hexString(state.cursor)) (Esc closes)", style: theme.focusedBorder)
        let room = rect.height - 2
        let explained = [snapshot.machine.describeFrame(state.cursor)] + snapshot.machine.explainFrame(state.cursor)
        // The explanation first (up to two thirds of the room), the bytes below it.
        let shown = Array(explained.prefix(max(1, room * 2 / 3)))
        for (k, line) in shown.enumerated() {
            buffer.put(line, x: rect.x + 1, y: rect.y + 1 + k, style: k == 0 ? CellStyle(bold: true) : .plain, clip: rect.inner)
        }
        let dumpRows = room - shown.count
        guard dumpRows > 0 else { return }
        for (k, line) in hexdump(snapshot.machine, pfn: state.cursor, count: 16 * dumpRows).prefix(dumpRows).enumerated() {
            buffer.put(line, x: rect.x + 1, y: rect.y + 1 + shown.count + k, style: theme.muted, clip: rect.inner)
        }
    }
}
