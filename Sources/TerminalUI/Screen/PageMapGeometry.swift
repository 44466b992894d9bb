/// The page map's grid in a panel of a given size: a border, a legend line, the grid, and the
/// cursor's line.
public struct PageMapGeometry: Hashable, Sendable {
    /// Pixels per text row (columns inside the border).
    public let columns: Int
    /// Text rows of the grid.
    public let rows: Int
    /// Pixels per text cell: 2 with half blocks, 1 for the projector theme.
    public let pixelsPerCell: Int
    /// The zoom that fits every frame.
    public let fitPagesPerPixel: Int
    /// The grid's first row on screen (inside the border, after the legend).
    public let gridTop: Int

    /// The grid of a page map drawn in `area` for a machine of `frames` frames.
    public init(area: Rect, frames: Int, pixelsPerCell: Int) {
        columns = max(1, area.width - 2)
        rows = max(1, area.height - 4)     // border, legend line, cursor line
        self.pixelsPerCell = pixelsPerCell
        let pixels = columns * rows * pixelsPerCell
        fitPagesPerPixel = max(1, (frames + pixels - 1) / pixels)
        gridTop = area.y + 2
    }

    /// Pixels in the grid.
    public var pixels: Int { columns * rows * pixelsPerCell }
}
