import HeapModel
import TerminalUI

/// Two viewer sessions played in lockstep, drawn side by side with their differences marked:
/// `memtop compare A B` in a terminal.
public struct CompareSession: PlayableSession {
    /// The left run.
    public private(set) var left: ViewerSession
    /// The right run.
    public private(set) var right: ViewerSession

    /// Two sessions; both are paused and stepped together from here on.
    public init(left: ViewerSession, right: ViewerSession) {
        self.left = left
        self.right = right
    }

    /// The narrowest terminal the comparison draws on: two 80-column halves.
    public static let minimumWidth = 160

    /// Renders both halves and marks the slab rows whose numbers differ from the other side's.
    public mutating func render(width: Int, height: Int) -> CellBuffer {
        var buffer = CellBuffer(width: width, height: height)
        guard width >= CompareSession.minimumWidth, height >= ScreenLayout.minimumHeight else {
            let line = "memtop compare needs at least \(CompareSession.minimumWidth)x\(ScreenLayout.minimumHeight); this terminal is \(width)x\(height)."
            buffer.put(line, x: max(0, (width - line.count) / 2), y: height / 2, style: CellStyle(bold: true))
            return buffer
        }
        let half = width / 2
        let a = left.render(width: half, height: height)
        let b = right.render(width: width - half, height: height)
        for y in 0..<height {
            for x in 0..<half { buffer[x, y] = a[x, y] }
            for x in 0..<(width - half) { buffer[half + x, y] = b[x, y] }
        }
        mark(&buffer, session: left, other: right, offset: 0)
        mark(&buffer, session: right, other: left, offset: half)
        return buffer
    }

    /// Marks (bold, alarm colour) the visible slab rows that differ from the same cache on the other side.
    func mark(_ buffer: inout CellBuffer, session: ViewerSession, other: ViewerSession, offset: Int) {
        guard let layout = session.state.layout else { return }
        let mine = SlabRow.rows(of: session.machine, sort: session.state.slabSort)
        let theirs = Dictionary(SlabRow.rows(of: other.machine, sort: .name).map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let visible = max(0, layout.slabs.height - 3)
        for (k, row) in mine.dropFirst(layout.slabScroll).prefix(visible).enumerated() {
            let theirRow = theirs[row.name]
            let same = theirRow.map { $0.objects == row.objects && $0.active == row.active && $0.slabs == row.slabs
                && $0.objectsPerSlab == row.objectsPerSlab && $0.pagesPerSlab == row.pagesPerSlab } ?? false
            guard !same else { continue }
            let y = layout.slabs.y + 2 + k
            for x in (layout.slabs.x + 1)..<(layout.slabs.x + layout.slabs.width - 1) {
                var cell = buffer[offset + x, y]
                cell.style.bold = true
                if session.theme.mode != .monochrome { cell.style.fg = .palette(session.theme.mode == .full256 ? 214 : 3) }
                else { cell.style.underline = true }
                buffer[offset + x, y] = cell
            }
        }
    }

    /// Applies a key to both sides (so they stay in lockstep); false to quit.
    public mutating func handle(_ key: Key) -> Bool {
        let goOn = left.handle(key)
        _ = right.handle(key)
        return goOn
    }

    /// Time is running while the left side plays and either side has operations left.
    public var isRunning: Bool { left.state.playing && !(left.status.finished && right.status.finished) }
    /// Operations per second while playing (the left side's speed; keys set both).
    public var playSpeed: Int { left.state.speed }

    /// Advances both sides by `steps`, each with half the time budget, then brings them back to
    /// the same event when one stopped early (a side at its end stays there).
    public mutating func play(_ steps: Int, clock: () -> UInt64, deadline: UInt64) {
        let now = clock()
        left.advance(steps, clock: clock, deadline: now + (deadline &- now) / 2)
        right.advance(steps, clock: clock, deadline: deadline)
        // Lockstep: a side still running holds the other back; one that has ended does not.
        var target = max(left.status.step, right.status.step)
        if !left.status.finished { target = min(target, left.status.step) }
        if !right.status.finished { target = min(target, right.status.step) }
        if left.status.step > target { left.seek(to: target) }
        if right.status.step > target { right.seek(to: target) }
    }
}
