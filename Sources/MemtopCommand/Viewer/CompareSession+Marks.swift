import TerminalUI

extension CompareSession {
    /// The marker drawn on a panel's left border beside a line that differs from the other side.
    public static let marker: Unicode.Scalar = "≠"

    /// Marks what differs on both halves of `buffer`: each differing line gets the marker on its
    /// panel's border and the difference attribute (bold in the alarm colour; bold and underlined
    /// without colours) on its text, or on just the characters that differ when both lines lie at
    /// the same place. Slab rows are matched by cache name (the sides may sort or hold caches
    /// differently); the fragmentation and vmalloc panels line by line.
    func markDifferences(_ buffer: inout CellBuffer, half: Int) {
        guard let a = left.layout, let b = right.layout else { return }
        markSlabRows(&buffer, session: left, other: right, offset: 0)
        markSlabRows(&buffer, session: right, other: left, offset: half)
        for (mine, theirs) in [(a.fragmentation, b.fragmentation), (a.vmalloc, b.vmalloc)] {
            markLines(&buffer, left: mine, right: theirs, half: half)
        }
    }

    /// Marks the visible slab rows of `session` whose numbers differ from the same cache's on `other`
    /// (the most recently created cache of that name, as slabinfo lists it first). The rows are the
    /// ones the frame's statistics step sorted (``FrameStatistics/rows``), in the order drawn.
    func markSlabRows(_ buffer: inout CellBuffer, session: ViewerSession, other: ViewerSession, offset: Int) {
        guard let layout = session.layout else { return }
        let mine = session.panelRows().caches
        let visible = max(0, layout.slabs.height - 3)
        for (k, row) in mine.dropFirst(session.state.slabTable.offset).prefix(visible).enumerated() {
            let same = other.machine.cache(named: row.name).map(SlabRow.init).map { $0.objects == row.objects && $0.active == row.active && $0.slabs == row.slabs
                && $0.objectsPerSlab == row.objectsPerSlab && $0.pagesPerSlab == row.pagesPerSlab } ?? false
            guard !same else { continue }
            let rect = layout.slabs
            mark(&buffer, row: rect.y + 2 + k, columns: (offset + rect.x + 1)..<(offset + rect.x + rect.width - 1),
                 border: offset + rect.x, theme: session.theme)
        }
    }

    /// Marks the inner lines of panel `l` (left half) and `r` (right half, before the offset) whose text differs.
    func markLines(_ buffer: inout CellBuffer, left l: Rect, right r: Rect, half: Int) {
        let rows = min(l.height, r.height) - 2
        guard rows > 0 else { return }
        for k in 1...rows {
            let (ly, ry) = (l.y + k, r.y + k)
            let lx = (l.x + 1)..<(l.x + l.width - 1), rx = (half + r.x + 1)..<(half + r.x + r.width - 1)
            let lt = lx.map { buffer[$0, ly].char }, rt = rx.map { buffer[$0, ry].char }
            guard lt != rt else { continue }
            if lt.count == rt.count {
                // Same geometry: only the characters that differ (a whole number once one digit does).
                let differing = Self.differingRuns(lt, rt)
                for run in differing {
                    mark(&buffer, row: ly, columns: (lx.lowerBound + run.lowerBound)..<(lx.lowerBound + run.upperBound), border: l.x, theme: left.theme)
                    mark(&buffer, row: ry, columns: (rx.lowerBound + run.lowerBound)..<(rx.lowerBound + run.upperBound), border: half + r.x, theme: right.theme)
                }
            } else {
                mark(&buffer, row: ly, columns: lx, border: l.x, theme: left.theme)
                mark(&buffer, row: ry, columns: rx, border: half + r.x, theme: right.theme)
            }
        }
    }

    /// The ranges of columns where `a` and `b` differ, widened to whole words (a number is marked whole).
    static func differingRuns(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var i = 0
        while i < a.count {
            guard a[i] != b[i] else { i += 1; continue }
            var start = i, end = i + 1
            while start > 0 && (a[start - 1] != " " || b[start - 1] != " ") { start -= 1 }
            while end < a.count && (a[end] != " " || b[end] != " " || a[end] != b[end]) { end += 1 }
            runs.append(start..<end)
            i = end
        }
        return runs
    }

    /// Gives `columns` of `row` the difference attribute and puts the marker on the border at `border`.
    func mark(_ buffer: inout CellBuffer, row y: Int, columns: Range<Int>, border: Int, theme: Theme) {
        guard y >= 0 && y < buffer.height else { return }
        for x in columns where x >= 0 && x < buffer.width {
            var cell = buffer[x, y]
            cell.style.bold = true
            if theme.mode != .monochrome { cell.style.fg = .palette(theme.mode == .full256 ? 214 : 3) } else { cell.style.underline = true }
            buffer[x, y] = cell
        }
        guard border >= 0 && border < buffer.width else { return }
        var cell = buffer[border, y]
        cell.char = Self.marker
        cell.style.bold = true
        if theme.mode != .monochrome { cell.style.fg = .palette(theme.mode == .full256 ? 214 : 3) }
        buffer[border, y] = cell
    }
}
