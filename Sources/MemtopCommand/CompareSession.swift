import HeapModel
import TerminalUI

/// Two viewer sessions played in lockstep, drawn side by side with their differences marked:
/// `memtop compare A B` in a terminal.
public struct CompareSession {
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

    /// The run loop, as ``ViewerSession/runLoop(backend:clock:)``, stepping both sides together.
    public mutating func runLoop<B: TerminalBackend>(backend: inout B, clock: () -> UInt64) {
        var last = clock()
        var credit = 0.0
        var dirty = true
        while true {
            if dirty {
                let size = backend.size
                backend.draw(render(width: size.width, height: size.height))
                dirty = false
            }
            let playing = left.state.playing && !(left.status.finished && right.status.finished)
            if let key = backend.readKey(timeoutMilliseconds: playing ? 16 : -1) {
                if !handle(key) { break }
                dirty = true
                continue
            }
            let now = clock()
            if playing {
                credit = min(credit + Double(left.state.speed) * Double(now &- last) / 1e9, Double(left.state.speed))
                let steps = Int(credit)
                if steps > 0 {
                    left.advance(steps, clock: clock, deadline: now + 4_000_000)
                    right.advance(steps, clock: clock, deadline: now + 8_000_000)
                    // Keep the two at the same event even when one hit its time budget first.
                    let target = min(left.status.step, right.status.step)
                    if left.status.step > target { left.seek(to: target) }
                    if right.status.step > target { right.seek(to: target) }
                    credit -= Double(steps)
                    dirty = true
                }
            }
            last = now
        }
    }
}
