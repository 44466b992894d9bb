/// A backend with no terminal: keeps the last buffer and feeds scripted keys.
public struct TextBackend: TerminalBackend {
    /// The size it reports.
    public var size: (width: Int, height: Int)
    /// What was drawn last.
    public private(set) var screen: CellBuffer
    /// Keys still to deliver.
    public var keys: [Key]
    /// Cells written in the last draw (for checking that unchanged cells cost nothing).
    public private(set) var lastWriteCount = 0
    /// Whether `restore` ran.
    public private(set) var restored = false

    /// A backend of the given size with scripted keys.
    public init(width: Int, height: Int, keys: [Key] = []) {
        size = (width, height)
        screen = CellBuffer(width: width, height: height)
        self.keys = keys
    }

    /// Records the buffer and counts the cells that differ from the previous one.
    public mutating func draw(_ buffer: CellBuffer) {
        if buffer.width == screen.width && buffer.height == screen.height {
            lastWriteCount = zip(buffer.cells, screen.cells).filter { $0 != $1 }.count
        } else {
            lastWriteCount = buffer.cells.count
        }
        screen = buffer
    }

    /// The next scripted key, or nil.
    public mutating func readKey(timeoutMilliseconds: Int) -> Key? { keys.isEmpty ? nil : keys.removeFirst() }

    /// Marks the terminal restored.
    public mutating func restore() { restored = true }
}
