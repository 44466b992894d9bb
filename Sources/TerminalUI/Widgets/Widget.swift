/// Something that draws itself into a rectangle of a ``CellBuffer``: ratatui's `Widget`.
///
/// A widget is a value built for one frame from that frame's values (``FrameStatistics``): it
/// holds what it shows, not where it came from, and it never reaches into the machine. It may be
/// given any area; writes outside it are dropped by the buffer's clipping where the widget clips.
public protocol Widget {
    /// Draws into `area` of `buffer`.
    /// - Parameters:
    ///   - area: The rectangle the widget owns this frame.
    ///   - buffer: The frame being drawn.
    func render(area: Rect, buffer: inout CellBuffer)
}
