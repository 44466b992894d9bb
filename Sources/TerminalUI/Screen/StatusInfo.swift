/// The status bar's facts.
public struct StatusInfo: Hashable, Sendable {
    /// The workload or trace name.
    public var source: String
    /// Operations done.
    public var step: Int
    /// Operations in all, when known.
    public var total: Int?
    /// Target speed in operations per second.
    public var speed: Int
    /// Playing or paused.
    public var playing: Bool
    /// The source has no more operations.
    public var finished: Bool
    /// What a step is: `line` for a trace (its line numbers), `op` for a workload's operations.
    public var counter = "op"

    /// Status facts.
    public init(source: String, step: Int = 0, total: Int? = nil, speed: Int = 1000, playing: Bool = true, finished: Bool = false) {
        self.source = source
        self.step = step
        self.total = total
        self.speed = speed
        self.playing = playing
        self.finished = finished
    }
}
