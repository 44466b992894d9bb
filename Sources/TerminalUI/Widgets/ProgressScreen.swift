/// A full-screen progress bar.
public enum ProgressScreen {
    /// A `width` x `height` screen with a ``ProgressBarWidget`` of `title` filled to `fraction` (0...1).
    public static func render(title: String, fraction: Double, width: Int, height: Int) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        ProgressBarWidget(title: title, fraction: fraction).render(area: buffer.area, buffer: &buffer)
        return buffer
    }
}
