import HeapModel

/// The page map's values for one frame: the pixels of the viewport the map shows.
public struct PageMapStatistics: Hashable, Sendable {
    /// Frames in the machine.
    public var frames: Int
    /// The grid the pixels were sampled for.
    public var geometry: PageMapGeometry
    /// The first frame shown and the zoom (``PageMapState/viewport(in:)`` of the state drawn).
    public var offset: Int, pagesPerPixel: Int
    /// One class per pixel, row-major along pixel rows.
    public var pixels: [PageClass]
    /// Pixels lit white: those holding a highlighted frame.
    public var lit: Set<Int>
    /// The description of the frame under the cursor.
    public var cursorText: String

    /// Samples `machine`'s frames for the viewport `state` shows in `geometry`.
    /// - Complexity: O(frames in the viewport + highlighted frames).
    public init(_ machine: Machine, state: PageMapState, geometry: PageMapGeometry, highlight: Set<Int> = []) {
        let view = state.viewport(in: geometry)
        frames = machine.endPFN
        self.geometry = geometry
        offset = view.offset
        pagesPerPixel = view.pagesPerPixel
        pixels = machine.pageMapPixels(from: PageFrameNumber(view.offset), pixels: geometry.pixels, pagesPerPixel: view.pagesPerPixel)
        lit = Set(highlight.compactMap { $0 >= view.offset ? ($0 - view.offset) / view.pagesPerPixel : nil })
        cursorText = machine.describeFrame(PageFrameNumber(state.cursor))
    }
}
