/// Where each panel goes for a terminal size, and the page map's geometry.
public struct ScreenLayout: Hashable, Sendable {
    /// The smallest screen memtop draws on.
    public static let minimumWidth = 80
    /// The smallest screen height.
    public static let minimumHeight = 24

    /// Terminal size.
    public let width: Int, height: Int
    /// Panels.
    public let status: Rect, pageMap: Rect, vmalloc: Rect, slabs: Rect, fragmentation: Rect, log: Rect
    /// Page-map pixels per text row (columns inside the border).
    public let mapColumns: Int
    /// Text rows of the grid.
    public let mapRows: Int
    /// The zoom that fits every frame.
    public let fitPagesPerPixel: Int
    /// Pixels per text cell of the page map: 2 with half blocks, 1 for the projector theme.
    public let pixelsPerCell: Int
    /// First slab row shown (set when rendering).
    public var slabScroll = 0
    /// First frame the map shows, and its zoom (set when rendering).
    public var mapOffset = 0
    /// Pages per pixel in effect.
    public var pagesPerPixel = 1

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
        mapColumns = max(1, mapRect.width - 2)
        mapRows = max(1, mapRect.height - 4)     // border, legend line, cursor line
        self.pixelsPerCell = pixelsPerCell
        let pixels = mapColumns * mapRows * pixelsPerCell
        fitPagesPerPixel = max(1, (frames + pixels - 1) / pixels)
    }

    /// Scrolls the slab panel's table (caches or call sites) so that row `selected` of `count`
    /// is among the `visible` rows shown, and returns the row shown selected.
    public mutating func scrollSlabs(selected row: Int, count: Int, visible: Int) -> Int {
        let selected = min(row, max(count - 1, 0))
        var scroll = slabScroll
        if selected < scroll { scroll = selected }
        if selected >= scroll + visible { scroll = selected - visible + 1 }
        slabScroll = max(0, scroll)
        return selected
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

    /// The grid's first row on screen (inside the border, after the legend).
    var gridTop: Int { pageMap.y + 2 }

    /// The frame under a screen position in the page map (the top half of the cell).
    public func frame(atX x: Int, y: Int, state: ViewState) -> Int? {
        let col = x - pageMap.x - 1, row = y - gridTop
        guard col >= 0 && col < mapColumns && row >= 0 && row < mapRows else { return nil }
        return mapOffset + (row * pixelsPerCell * mapColumns + col) * pagesPerPixel
    }
}
