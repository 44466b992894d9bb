/// The drawing half of a curses backend: compares each frame with the last one and writes only the
/// changed runs, allocating colour pairs on first use, through a ``CursesCalls`` table.
///
/// Holds no terminal itself, so the diffing and the pair allocation are tested with a recorder.
public struct CursesRenderer {
    /// The calls it draws with.
    public var calls: CursesCalls
    /// The colour mode of the terminal.
    public let colorMode: ColorMode
    /// How many colour pairs the terminal has (`COLOR_PAIRS`, at most 32767); pair 0 is the default.
    public let maxPairs: Int32
    private var previous: CellBuffer?
    private var pairs: [UInt32: Int32] = [:]
    private var nextPair: Int32 = 1

    /// A renderer that has drawn nothing yet.
    public init(calls: CursesCalls, colorMode: ColorMode, maxPairs: Int32) {
        self.calls = calls
        self.colorMode = colorMode
        self.maxPairs = min(maxPairs, 32767)
    }

    /// Forgets the last frame, so the next one is drawn whole (after a resize).
    public mutating func invalidate() { previous = nil }

    /// The nearest of the 8 basic colours to an xterm-256 index.
    public static func basic(_ p: UInt8) -> UInt8 {
        if p < 16 { return p % 8 }
        if p >= 232 { return p < 244 ? 0 : 7 }
        let v = Int(p) - 16
        let r = v / 36, g = (v / 6) % 6, b = v % 6
        return UInt8((r >= 3 ? 1 : 0) | (g >= 3 ? 2 : 0) | (b >= 3 ? 4 : 0))
    }

    /// The colour pair for a style's colours, defined on first use; 0 (the default colours) for the
    /// default look, in monochrome, and once the terminal's pairs run out.
    mutating func pair(for style: CellStyle) -> Int32 {
        guard colorMode != .monochrome else { return 0 }
        func index(_ c: TermColor) -> Int32 {
            switch c {
            case .standard: return -1
            case .palette(let p): return colorMode == .basic8 ? Int32(p < 8 ? p : CursesRenderer.basic(p)) : Int32(p)
            }
        }
        let fg = index(style.fg), bg = index(style.bg)
        if fg == -1 && bg == -1 { return 0 }
        let key = UInt32(bitPattern: (fg & 0xffff) << 16 | (bg & 0xffff))
        if let p = pairs[key] { return p }
        guard nextPair < maxPairs else { return 0 }
        let p = nextPair
        nextPair += 1
        calls.initPair(p, fg, bg)
        pairs[key] = p
        return p
    }

    /// Writes the changed runs of each row: cells of one style are written with one call. A frame of
    /// another size than the last is drawn whole, after an erase.
    public mutating func draw(_ buffer: CellBuffer) {
        let sameSize = previous.map { $0.width == buffer.width && $0.height == buffer.height } ?? false
        if !sameSize { calls.erase() }
        for y in 0..<buffer.height {
            var x = 0
            while x < buffer.width {
                if sameSize, let prev = previous, prev[x, y] == buffer[x, y] { x += 1; continue }
                let style = buffer[x, y].style
                var text = ""
                var end = x
                while end < buffer.width && buffer[end, y].style == style
                    && !(sameSize && previous![end, y] == buffer[end, y] && end > x) {
                    text.unicodeScalars.append(buffer[end, y].char)
                    end += 1
                }
                // The bottom-right cell scrolls some terminals when written; skip it.
                if y == buffer.height - 1 && end == buffer.width { text = String(text.dropLast()) }
                let pairNumber = pair(for: style)
                calls.setStyle(style, pairNumber)
                calls.addString(Int32(y), Int32(x), text)
                x = end
            }
        }
        calls.refresh()
        previous = buffer
    }
}
