/// Where each panel goes for a terminal size: pure geometry, computed from the size (and the
/// machine's frame count, for the page map's fitting zoom) alone. Nothing is written back into
/// it while drawing; scroll and selection live in ``ViewState``.
public struct ScreenLayout: Hashable, Sendable {
    /// The smallest screen memtop draws on.
    public static let minimumWidth = 80
    /// The smallest screen height.
    public static let minimumHeight = 24

    /// Terminal size.
    public let width: Int, height: Int
    /// Panels.
    public let status: Rect, pageMap: Rect, vmalloc: Rect, slabs: Rect, fragmentation: Rect, log: Rect
    /// The page map's grid inside its panel.
    public let map: PageMapGeometry

    /// Page-map pixels per text row (columns inside the border).
    public var mapColumns: Int { map.columns }
    /// Text rows of the grid.
    public var mapRows: Int { map.rows }
    /// The zoom that fits every frame.
    public var fitPagesPerPixel: Int { map.fitPagesPerPixel }
    /// Pixels per text cell of the page map: 2 with half blocks, 1 for the projector theme.
    public var pixelsPerCell: Int { map.pixelsPerCell }

    /// Lays out a `width` x `height` screen for a machine of `frames` frames, or nil when it is below
    /// the minimum size.
    public init?(width: Int, height: Int, frames: Int, pixelsPerCell: Int = 2) {
        guard width >= ScreenLayout.minimumWidth && height >= ScreenLayout.minimumHeight else { return nil }
        self.width = width
        self.height = height
        let whole = Rect(x: 0, y: 0, width: width, height: height)
        let (statusRect, body) = whole.splitTop(1)
        status = statusRect
        let logHeight = max(5, height / 6)
        let (middle, logRect) = body.splitTop(body.height - logHeight)
        log = logRect
        let (left, right) = middle.splitLeft(width * 55 / 100)
        let vmallocHeight = 5
        let (mapRect, vmallocRect) = left.splitTop(left.height - vmallocHeight)
        pageMap = mapRect
        vmalloc = vmallocRect
        let (slabRect, fragRect) = right.splitTop(right.height * 50 / 100)
        slabs = slabRect
        fragmentation = fragRect
        map = PageMapGeometry(area: mapRect, frames: frames, pixelsPerCell: pixelsPerCell)
    }

    /// The panel at a screen position.
    public func panel(atX x: Int, y: Int) -> Panel? {
        if pageMap.contains(x: x, y: y) { return .pageMap }
        if slabs.contains(x: x, y: y) { return .slabs }
        if fragmentation.contains(x: x, y: y) { return .fragmentation }
        if vmalloc.contains(x: x, y: y) { return .vmalloc }
        if log.contains(x: x, y: y) { return .log }
        return nil
    }

    /// The frame under a screen position in the page map (the top half of the cell), as the map
    /// drawn with `state` shows it.
    public func frame(atX x: Int, y: Int, state: PageMapState) -> Int? {
        let col = x - pageMap.x - 1, row = y - map.gridTop
        guard col >= 0 && col < map.columns && row >= 0 && row < map.rows else { return nil }
        return state.frame(column: col, pixelRow: row * map.pixelsPerCell, in: map)
    }
}
