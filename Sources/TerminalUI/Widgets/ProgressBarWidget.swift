/// A progress bar with a title above it and the percentage below, centred in its area: for
/// reading a long trace before the viewer opens.
public struct ProgressBarWidget: Widget {
    /// What is in progress.
    public let title: String
    /// How far it is, 0...1.
    public let fraction: Double

    /// A bar filled to `fraction` under `title`.
    public init(title: String, fraction: Double) {
        self.title = title
        self.fraction = fraction
    }

    /// Draws centred in `area`; nothing when the area is too small.
    public func render(area: Rect, buffer: inout CellBuffer) {
        guard area.width > 10, area.height > 3 else { return }
        let y = area.y + area.height / 2
        let barWidth = min(60, area.width - 10)
        let x = area.x + (area.width - barWidth - 2) / 2
        buffer.put(title, x: area.x + max(0, (area.width - title.count) / 2), y: y - 2, style: CellStyle(bold: true), clip: area)
        let filled = Int(Double(barWidth) * min(max(fraction, 0), 1))
        buffer.put("[" + String(repeating: "█", count: filled) + String(repeating: "·", count: barWidth - filled) + "]", x: x, y: y,
                   clip: area)
        let percent = "\(Int(fraction * 100))%"
        buffer.put(percent, x: area.x + (area.width - percent.count) / 2, y: y + 1, clip: area)
    }
}
