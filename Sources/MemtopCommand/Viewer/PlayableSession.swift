import TerminalUI

/// A screen the interactive run loop drives: drawn when something changed, fed keys, and
/// advanced in proportion to elapsed time while playing.
public protocol PlayableSession {
    /// Time is running (playing, with operations left).
    var isRunning: Bool { get }
    /// Operations per second while playing.
    var playSpeed: Int { get }
    /// Draws the whole screen at this size.
    mutating func render(width: Int, height: Int) -> CellBuffer
    /// Applies a key; false to quit.
    mutating func handle(_ key: Key) -> Bool
    /// Advances by `steps` operations, stopping early at `deadline` (a `clock` reading).
    mutating func play(_ steps: Int, clock: () -> UInt64, deadline: UInt64)
    /// Called with the time each frame took to draw.
    mutating func recordFrameTime(_ nanoseconds: UInt64)
}

extension PlayableSession {
    /// Ignores frame times.
    public mutating func recordFrameTime(_ nanoseconds: UInt64) {}

    /// The run loop: draw, wait for a key (briefly while playing, indefinitely while paused, so
    /// an idle viewer uses no CPU), apply it, and advance by the speed times the elapsed time,
    /// spending at most 8 ms a frame on simulation so that keys stay responsive.
    public mutating func runLoop<B: TerminalBackend>(backend: inout B, clock: () -> UInt64) {
        var last = clock()
        var credit = 0.0
        var dirty = true
        while true {
            if dirty {
                let size = backend.size
                let start = clock()
                backend.draw(render(width: size.width, height: size.height))
                recordFrameTime(clock() &- start)
                dirty = false
            }
            if let key = backend.readKey(timeoutMilliseconds: isRunning ? 16 : -1) {
                if !handle(key) { break }
                dirty = true
                // Drain keys that are already waiting before drawing again.
                continue
            }
            let now = clock()
            if isRunning {
                // Never more than a second of backlog.
                credit = min(credit + Double(playSpeed) * Double(now &- last) / 1e9, Double(playSpeed))
                let steps = Int(credit)
                if steps > 0 {
                    play(steps, clock: clock, deadline: now + 8_000_000)
                    credit -= Double(steps)
                    dirty = true
                }
            }
            last = now
        }
    }
}
