/// The page map's state across frames: the cursor, the zoom, and the first frame shown.
public struct PageMapState: Hashable, Sendable {
    /// The cursor: a frame number.
    public var cursor = 0
    /// Zoom: pages per pixel; 0 means "fit the whole machine".
    public var pagesPerPixel = 0
    /// The first frame shown. Kept from frame to frame so the map scrolls only when the cursor
    /// leaves it (always 0 at the fitting zoom).
    public var offset = 0

    /// A page map at the fitting zoom, the cursor on frame 0.
    public init() {}

    /// The pages per pixel in effect in `geometry`.
    public func zoom(in geometry: PageMapGeometry) -> Int { pagesPerPixel == 0 ? geometry.fitPagesPerPixel : pagesPerPixel }

    /// The first frame and the zoom the map shows in `geometry`: the kept offset, moved by whole
    /// text rows just enough to show the cursor's row.
    public func viewport(in geometry: PageMapGeometry) -> (offset: Int, pagesPerPixel: Int) {
        let per = zoom(in: geometry)
        let pagesPerRow = geometry.columns * geometry.pixelsPerCell * per
        var offset = pagesPerPixel == 0 ? 0 : self.offset
        let cursorRow = (cursor - offset) / pagesPerRow
        if cursor < offset { offset = (cursor / pagesPerRow) * pagesPerRow }
        else if cursorRow >= geometry.rows { offset = (cursor / pagesPerRow - geometry.rows + 1) * pagesPerRow }
        return (max(0, offset), per)
    }

    /// Keeps ``viewport(in:)``'s offset, so the next frame starts from it.
    public mutating func follow(in geometry: PageMapGeometry) { offset = viewport(in: geometry).offset }

    /// The frame under pixel (`column`, `pixelRow`) of the grid.
    public func frame(column: Int, pixelRow: Int, in geometry: PageMapGeometry) -> Int {
        offset + (pixelRow * geometry.columns + column) * zoom(in: geometry)
    }
}
