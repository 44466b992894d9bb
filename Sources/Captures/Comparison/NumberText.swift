/// Fixed-point number text without Foundation's formatters.
enum NumberText {
    /// `value` rounded to `decimals` places, with a sign for non-zero results when `signed`:
    /// `+2.35`, `-0.50`, `0.00`.
    static func fixed(_ value: Double, decimals: Int, signed: Bool = false) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "+inf" : "-inf") }
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = (value.magnitude * Double(scale)).rounded()
        // Beyond 2^53 the digits are noise anyway; print the integer part alone.
        guard scaled < 9.0e15 else { return (value < 0 ? "-" : (signed ? "+" : "")) + String(Int(value.magnitude)) }
        let units = Int(scaled)
        let sign = units == 0 ? "" : (value < 0 ? "-" : (signed ? "+" : ""))
        let fraction = String(units % scale)
        let padded = String(repeating: "0", count: max(0, decimals - fraction.count)) + fraction
        return sign + String(units / scale) + (decimals > 0 ? "." + padded : "")
    }

    /// `value` with two decimals and trailing zeros dropped: `2`, `2.5`, `0.25`.
    static func trimmed(_ value: Double) -> String {
        var text = fixed(value, decimals: 2)
        guard text.contains(".") else { return text }
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
        return text
    }
}
