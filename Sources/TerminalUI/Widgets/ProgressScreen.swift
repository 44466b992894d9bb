/// A full-screen progress bar, for reading a long trace before the viewer opens.
public enum ProgressScreen {
    /// A screen with `title` and a bar filled to `fraction` (0...1).
    public static func render(title: String, fraction: Double, width: Int, height: Int) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        guard width > 10, height > 3 else { return buffer }
        let y = height / 2
        let barWidth = min(60, width - 10)
        let x = (width - barWidth - 2) / 2
        buffer.put(title, x: max(0, (width - title.count) / 2), y: y - 2, style: CellStyle(bold: true))
        let filled = Int(Double(barWidth) * min(max(fraction, 0), 1))
        buffer.put("[" + String(repeating: "█", count: filled) + String(repeating: "·", count: barWidth - filled) + "]", x: x, y: y)
        let percent = "\(Int(fraction * 100))%"
        buffer.put(percent, x: (width - percent.count) / 2, y: y + 1)
        return buffer
    }
}
