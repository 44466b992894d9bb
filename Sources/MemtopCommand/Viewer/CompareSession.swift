import HeapModel
import TerminalUI

/// Two viewer sessions played in lockstep, drawn side by side with their differences marked:
/// `memtop compare A B` in a terminal.
public struct CompareSession: PlayableSession {
    /// The left run.
    public internal(set) var left: ViewerSession
    /// The right run.
    public internal(set) var right: ViewerSession

    /// Two sessions; both are paused and stepped together from here on.
    public init(left: ViewerSession, right: ViewerSession) {
        self.left = left
        self.right = right
        self.left.exportsForOwner = true
        self.right.exportsForOwner = true
    }

    /// The size last rendered, for `e`.
    var lastSize: (Int, Int)?
    /// Where `e` writes (the current directory by default).
    public var exportDirectory = "."
    /// The files the last `e` wrote.
    public internal(set) var exported: [String] = []

    /// The narrowest terminal the comparison draws on: two 80-column halves.
    public static let minimumWidth = 160

    /// Renders both halves and marks, on both, what differs from the other side: slab rows by
    /// cache name, and the lines of the fragmentation and vmalloc panels (see ``markDifferences(_:half:)``).
    public mutating func render(width: Int, height: Int) -> CellBuffer {
        lastSize = (width, height)
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
        markDifferences(&buffer, half: half)
        return buffer
    }

    /// Applies a key to both sides (so they stay in lockstep); false to quit.
    public mutating func handle(_ key: Key) -> Bool {
        let goOn = left.handle(key)
        _ = right.handle(key)
        if left.exportRequested || right.exportRequested {
            left.exportRequested = false
            right.exportRequested = false
            exportScreen()
        }
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
