/// Right-aligns `s` in `width` columns, like printf's `%Ns` (never truncates).
package func pad(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : String(repeating: " ", count: width - s.count) + s
}

/// Left-aligns `s` in `width` columns, like printf's `%-Ns`.
package func padRight(_ s: String, _ width: Int) -> String {
    s.count >= width ? s : s + String(repeating: " ", count: width - s.count)
}

/// Zero-pads a non-negative number, like printf's `%0Nd`.
package func zeroPad(_ n: Int, _ width: Int) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}
