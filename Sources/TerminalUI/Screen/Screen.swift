import HeapModel

/// The whole screen: lays out the panels for the buffer's size and has each widget draw itself.
public enum Screen {
    /// Renders `snapshot` into a new buffer of `width` x `height`; returns the buffer and the layout
    /// used (nil when the terminal is below the minimum size, and a message was drawn instead).
    public static func render(_ snapshot: FrameSnapshot, state: ViewState, theme: Theme, width: Int, height: Int)
        -> (CellBuffer, ScreenLayout?)
    {
        var buffer = CellBuffer(width: width, height: height)
        guard var layout = ScreenLayout(width: width, height: height, frames: snapshot.machine.endPFN,
                                        pixelsPerCell: theme.projector ? 1 : 2) else {
            let message = ["memtop needs at least \(ScreenLayout.minimumWidth)x\(ScreenLayout.minimumHeight);",
                           "this terminal is \(width)x\(height).", "Enlarge it, or press q to quit."]
            for (k, line) in message.enumerated() where height > 0 {
                let y = max(0, height / 2 - 1 + k)
                if y < height { buffer.put(line, x: max(0, (width - line.count) / 2), y: y, style: CellStyle(bold: k == 0)) }
            }
            return (buffer, nil)
        }
        layout.mapOffset = state.layout?.mapOffset ?? 0
        layout.slabScroll = state.layout?.slabScroll ?? 0
        StatusBarWidget(snapshot: snapshot, theme: theme).render(into: &buffer, layout: layout, state: state)
        PageMapWidget(snapshot: snapshot, theme: theme).render(into: &buffer, layout: &layout, state: state)
        VmallocWidget(snapshot: snapshot, theme: theme).render(into: &buffer, layout: layout, state: state)
        SlabTableWidget(snapshot: snapshot, theme: theme).render(into: &buffer, layout: &layout, state: state)
        FragmentationWidget(snapshot: snapshot, theme: theme).render(into: &buffer, layout: layout, state: state)
        EventLogWidget(snapshot: snapshot, theme: theme).render(into: &buffer, layout: layout, state: state)
        NarrationPaneWidget(snapshot: snapshot, theme: theme).render(into: &buffer, layout: layout, state: state)
        if state.showInspector { InspectorOverlay.render(into: &buffer, snapshot: snapshot, layout: layout, state: state, theme: theme) }
        if state.showHelp { HelpOverlay.render(into: &buffer, theme: theme) }
        return (buffer, layout)
    }
}

/// A terminal the run loop can draw on and read keys from. `NcursesBackend` is the real one;
/// ``TextBackend`` serves tests.
public protocol TerminalBackend {
    /// Current size in columns and rows.
    var size: (width: Int, height: Int) { get }
    /// Shows `buffer`, writing only what changed since the last call.
    mutating func draw(_ buffer: CellBuffer)
    /// The next key, waiting up to `timeoutMilliseconds` (negative: forever); nil on timeout.
    mutating func readKey(timeoutMilliseconds: Int) -> Key?
    /// Gives the terminal back as it was.
    mutating func restore()
}

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
