/// Pictures of the screen for slides and handouts: SVG (colours and layout as on screen), plain
/// text, and an HTML page with the SVG and the /proc files.
public enum ScreenExport {
    /// Pixel size of one cell.
    static let cellWidth = 9, cellHeight = 18

    /// The RGB hex of an xterm-256 palette index.
    public static func rgb(_ index: UInt8) -> String {
        let basic = ["000000", "cd0000", "00cd00", "cdcd00", "0000ee", "cd00cd", "00cdcd", "e5e5e5",
                     "7f7f7f", "ff0000", "00ff00", "ffff00", "5c5cff", "ff00ff", "00ffff", "ffffff"]
        if index < 16 { return basic[Int(index)] }
        if index >= 232 {
            let v = 8 + (Int(index) - 232) * 10
            return hex2(v) + hex2(v) + hex2(v)
        }
        let i = Int(index) - 16
        let levels = [0, 95, 135, 175, 215, 255]
        return hex2(levels[i / 36]) + hex2(levels[(i / 6) % 6]) + hex2(levels[i % 6])
    }

    static func hex2(_ v: Int) -> String { (v < 16 ? "0" : "") + String(v, radix: 16) }

    static func color(_ c: TermColor, default d: String) -> String {
        if case .palette(let p) = c { return "#" + rgb(p) }
        return "#" + d
    }

    /// A character as HTML and SVG text need it (`&`, `<`, `>` and `"` escaped).
    public static func escapeHTML(_ s: Unicode.Scalar) -> String { escape(s) }

    static func escape(_ s: Unicode.Scalar) -> String {
        switch s {
        case "&": return "&amp;"
        case "<": return "&lt;"
        case ">": return "&gt;"
        case "\"": return "&quot;"
        default: return String(Character(s))
        }
    }

    /// The screen as SVG: a dark background, one rectangle per coloured cell background, half
    /// blocks as two rectangles, text in a monospace font.
    public static func svg(_ buffer: CellBuffer) -> String {
        let w = buffer.width * cellWidth, h = buffer.height * cellHeight
        var out = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\">\n"
        out += "<rect width=\"\(w)\" height=\"\(h)\" fill=\"#101010\"/>\n"
        out += "<g font-family=\"DejaVu Sans Mono, monospace\" font-size=\"14\">\n"
        for y in 0..<buffer.height {
            for x in 0..<buffer.width {
                let cell = buffer[x, y]
                var fg = color(cell.style.fg, default: "e5e5e5"), bg = color(cell.style.bg, default: "101010")
                if cell.style.reverse { swap(&fg, &bg) }
                let px = x * cellWidth, py = y * cellHeight
                if cell.char == "▀" || cell.char == "▄" {
                    let top = cell.char == "▀" ? fg : bg, bottom = cell.char == "▀" ? bg : fg
                    out += "<rect x=\"\(px)\" y=\"\(py)\" width=\"\(cellWidth)\" height=\"\(cellHeight / 2)\" fill=\"\(top)\"/>"
                    out += "<rect x=\"\(px)\" y=\"\(py + cellHeight / 2)\" width=\"\(cellWidth)\" height=\"\(cellHeight / 2)\" fill=\"\(bottom)\"/>\n"
                    continue
                }
                if cell.char == "█" {
                    out += "<rect x=\"\(px)\" y=\"\(py)\" width=\"\(cellWidth)\" height=\"\(cellHeight)\" fill=\"\(fg)\"/>\n"
                    continue
                }
                if bg != "#101010" {
                    out += "<rect x=\"\(px)\" y=\"\(py)\" width=\"\(cellWidth)\" height=\"\(cellHeight)\" fill=\"\(bg)\"/>"
                }
                if cell.char != " " {
                    out += "<text x=\"\(px)\" y=\"\(py + 14)\" fill=\"\(fg)\"" + (cell.style.bold ? " font-weight=\"bold\"" : "")
                        + ">\(escape(cell.char))</text>\n"
                }
            }
        }
        out += "</g>\n</svg>\n"
        return out
    }

    /// An HTML page with the SVG and the given files (title, text) below it.
    public static func html(_ buffer: CellBuffer, title: String, files: [(String, String)]) -> String {
        var out = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>\(title)</title>\n"
        out += "<style>body{background:#101010;color:#e5e5e5;font-family:sans-serif}pre{font-size:13px}</style></head><body>\n"
        out += "<h1>\(title)</h1>\n" + svg(buffer)
        for (name, text) in files {
            out += "<h2>\(name)</h2>\n<pre>" + String(text.unicodeScalars.map { escape($0) }.joined()) + "</pre>\n"
        }
        return out + "</body></html>\n"
    }
}
