/// A scrolling table's state across frames (ratatui's `TableState`): the selected row and the
/// first row shown.
///
/// # Invariants
/// - After ``scroll(count:visible:)``, the row shown selected lies in `offset ..< offset + visible`.
public struct TableState: Hashable, Sendable {
    /// The selected row (the table shows the last row selected when it is past the end).
    public var selected = 0
    /// The first row shown.
    public var offset = 0

    /// A table scrolled to the top with its first row selected.
    public init(selected: Int = 0, offset: Int = 0) {
        self.selected = selected
        self.offset = offset
    }

    /// Scrolls so that the selected row, clamped to `count` rows, is among the `visible` rows
    /// shown, moving the offset as little as possible; returns the row shown selected.
    public mutating func scroll(count: Int, visible: Int) -> Int {
        let shown = min(selected, max(count - 1, 0))
        var top = offset
        if shown < top { top = shown }
        if shown >= top + visible { top = shown - visible + 1 }
        // INVARIANT: the row shown selected is inside the window from here on.
        offset = max(0, top)
        return shown
    }
}
