/// A widget with state that must outlive the frame, such as a scroll offset or a selection:
/// ratatui's `StatefulWidget`.
///
/// The state belongs to the caller (the ``ViewState``) and is passed in each frame; the widget
/// may adjust it while drawing (a table scrolls so that its selected row is in view), and the
/// caller keeps the result for the next frame and for hit-testing. The same state and the same
/// widget draw the same cells.
public protocol StatefulWidget {
    /// The state that survives frames.
    associatedtype State
    /// Draws into `area` of `buffer`, reading and adjusting `state`.
    /// - Parameters:
    ///   - area: The rectangle the widget owns this frame.
    ///   - buffer: The frame being drawn.
    ///   - state: The caller's state for this widget.
    func render(area: Rect, buffer: inout CellBuffer, state: inout State)
}
