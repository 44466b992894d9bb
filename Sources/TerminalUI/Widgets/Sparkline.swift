/// Unicode block sparklines.
public enum Sparkline {
    static let levels: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]

    /// All of `values`, first to last, in `width` cells: each cell the last value of its share of
    /// them (a whole run's history, where ``render(_:width:maximum:)`` shows only its end).
    public static func whole(_ values: [Int], width: Int, maximum: Int) -> String {
        guard width > 0, values.count > width else { return render(values, width: width, maximum: maximum) }
        let picked = (0..<width).map { values[min(values.count - 1, ($0 + 1) * values.count / width - 1)] }
        return render(picked, width: width, maximum: maximum)
    }

    /// The last `width` values as a sparkline scaled to `maximum`.
    public static func render(_ values: [Int], width: Int, maximum: Int) -> String {
        guard width > 0 else { return "" }
        return String(values.suffix(width).map { v in levels[min(7, max(0, v * 8 / max(maximum + 1, 1)))] })
    }
}
