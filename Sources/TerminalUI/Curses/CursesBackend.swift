/// A terminal backend over a table of ncurses calls: draws through a ``CursesRenderer``, decodes
/// input with a ``CursesKeyDecoder`` and gives the terminal back with `endwin`.
///
/// `NcursesBackend` makes one with the real calls once it has taken the terminal over; tests make
/// one with a recorder, so that drawing, key decoding and the restore are checked without a
/// terminal.
public struct CursesBackend: TerminalBackend {
    private var renderer: CursesRenderer
    /// The input decoder.
    public let decoder: CursesKeyDecoder

    /// A backend drawing and reading through `calls`, decoding with `codes`, in `colorMode` with
    /// `maxPairs` colour pairs.
    public init(calls: CursesCalls, codes: CursesKeyCodes, colorMode: ColorMode, maxPairs: Int32) {
        renderer = CursesRenderer(calls: calls, colorMode: colorMode, maxPairs: maxPairs)
        decoder = CursesKeyDecoder(codes: codes)
    }

    /// The colour mode of the terminal.
    public var colorMode: ColorMode { renderer.colorMode }

    /// The screen's size now (ncurses updates it on `KEY_RESIZE`).
    public var size: (width: Int, height: Int) {
        let s = renderer.calls.size()
        return (Int(s.width), Int(s.height))
    }

    /// Writes the changed runs of each row (``CursesRenderer/draw(_:)``).
    public mutating func draw(_ buffer: CellBuffer) { renderer.draw(buffer) }

    /// The next key, waiting up to `timeoutMilliseconds` (negative: until one comes); nil on a
    /// timeout or input memtop does not use. A resize makes the next frame draw whole.
    public mutating func readKey(timeoutMilliseconds: Int) -> Key? {
        let calls = renderer.calls
        let read = calls.getWideChar(Int32(clamping: timeoutMilliseconds))
        let key = decoder.key(result: read.result, code: read.code, mouse: calls.getMouse)
        if key == .resize { renderer.invalidate() }
        return key
    }

    /// Gives the terminal back (`endwin`): one call, one restore; the caller calls it once.
    public mutating func restore() { renderer.calls.end() }
}
