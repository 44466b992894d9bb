import Allocators
import HeapModel
import Operations
import TerminalUI
import Traces
import Workloads

/// What the viewer plays: a built-in workload or a trace, on a booted machine.
public struct ViewerRequest: Sendable {
    /// Where the operations come from.
    public enum Source: Sendable {
        /// A built-in workload.
        case workload(Workload)
        /// A trace file (ftrace text or memtop's format).
        case trace(String)
    }
    /// The source.
    public let source: Source
    /// The machine to simulate.
    public let configuration: MachineConfiguration
    /// The workload's seed.
    public let seed: UInt64
    /// The projector theme.
    public let projector: Bool

    /// A request.
    public init(source: Source, configuration: MachineConfiguration, seed: UInt64, projector: Bool = false) {
        self.source = source
        self.configuration = configuration
        self.seed = seed
        self.projector = projector
    }

    /// The name the status bar shows.
    public var name: String {
        switch source {
        case .workload(let w): return w.name
        case .trace(let path): return String(path.split(separator: "/").last ?? Substring(path))
        }
    }
}

/// A trace stepped one line at a time. Used from the viewer's one thread only.
struct TraceWorkloadRun: WorkloadRun, @unchecked Sendable {
    let trace: TraceRun
    mutating func step(_ ops: inout OperationRunner, _ machine: inout Machine) -> Bool { trace.step(&machine) }
}

/// A viewer run: the machine, its source of operations, the UI state and the run loop. Time comes
/// from the clock passed in, keys and drawing from the backend, so tests drive it without a terminal.
public struct ViewerSession: PlayableSession {
    /// The live machine.
    public private(set) var machine: Machine
    private var run: any WorkloadRun
    /// The runner a workload's operations go through (a trace has its own).
    private var ops = OperationRunner()
    private var trace: TraceRun?
    /// Periodic snapshots for time travel: the machine and the source's state after `step` operations.
    private var snapshots: [(step: Int, machine: Machine, run: any WorkloadRun, ops: OperationRunner, log: [LogLine], history: [Int],
                             trace: TraceRun.Position?)] = []
    /// Steps between snapshots; doubles when the list is thinned, so memory stays bounded.
    public private(set) var snapshotInterval = 2_000
    /// The most snapshots kept (each holds a copy of the machine's arrays once they diverge).
    static let maxSnapshots = 48
    /// Steps at which a violation, narration or mark happened (for `]` and `[`).
    public private(set) var marks: [Int] = []
    private var scannedEvents = 0
    /// Events taken from the machine but not yet formatted for the log: formatting is the costly
    /// part of playing, and only the newest ``logCapacity`` events are ever shown in full.
    private var unformatted: [HeapEvent] = []
    /// Seeks read a trace on a second thread for at least `minimum` lines (below that, starting the
    /// thread costs more than it saves), leaving the last `margin` lines to be stepped.
    var fastForward = (minimum: 20_000, margin: 1_000)
    /// The answer of the last question, shown at the next key (as OSTEP's simulators show answers with -c).
    private var pendingAnswer: String?
    private var lastSize: (Int, Int)?
    private let request: ViewerRequest
    /// UI state.
    public var state = ViewState()
    /// Status facts.
    public private(set) var status: StatusInfo
    /// Latest log lines.
    public private(set) var log: [LogLine] = []
    /// Fragmentation history.
    public private(set) var history: [Int] = []
    /// How many log lines to keep.
    static let logCapacity = 400
    /// The colours.
    public var theme: Theme
    /// Nanoseconds each frame took to render and hand to the backend, when measuring.
    public var frameTimes: [UInt64]?

    /// A session playing `request`. A workload's operations are counted first on a copy (workloads
    /// are deterministic, so the count is exact); a trace's lines are counted with `progress`
    /// told the fraction read, for the import's progress bar.
    public init(_ request: ViewerRequest, theme: Theme, progress: (Double) -> Void = { _ in }) throws {
        let configuration = request.configuration
        var machine: Machine
        do { machine = try Kernel.boot(configuration) } catch { throw RunFailure(error.description, exitCode: 2) }
        let total: Int
        switch request.source {
        case .workload(let workload):
            var counter = machine
            var countRun = workload.start(request.seed, configuration)
            total = Workload.runToEnd(&countRun, on: &counter)
            self.run = workload.start(request.seed, configuration)
        case .trace(let path):
            do {
                total = try TraceRun.countLines(path, progress: progress)
                self.trace = try TraceRun(path: path)
            } catch {
                throw RunFailure(error.description)
            }
            self.run = TraceWorkloadRun(trace: trace!)
        }
        machine.setRecording(true)
        self.machine = machine
        self.request = request
        self.theme = theme
        self.status = StatusInfo(source: request.name, step: 0, total: total, speed: state.speed, playing: true)
        state.cursor = machine.populatedZones.last.map { $0.startPFN } ?? 0
        sample()
        snapshots.append((0, machine, run, ops, log, history, nil))
    }

    /// Performs up to `count` operations, stopping early after `deadline` (clock nanoseconds).
    /// Only the newest events are formatted for the log; violations and warnings always are.
    /// Playing stops at a lesson's `pause` and `ask`; going to an event (`throughPauses`) passes
    /// them, answering the questions it passes as a key would.
    public mutating func advance(_ count: Int, clock: () -> UInt64 = { 0 }, deadline: UInt64 = .max, throughPauses: Bool = false) {
        var done = 0
        while done < count && !status.finished {
            if throughPauses, let answer = pendingAnswer {
                pendingAnswer = nil
                absorbEvents()
                log.append(LogLine(kind: .narration, text: "= " + answer))
            }
            if !run.step(&ops, &machine) {
                absorbEvents()
                status.finished = true
                state.playing = false
                if let error = trace?.error { log.append(LogLine(kind: .violation, text: error.description)) }
                break
            }
            // A pause or a question stops the play after its line (the line is a step like any other).
            var paused = false
            if let trace {
                let narration = trace.takeNarration()
                // The events so far go to the log first, so that the story reads in order.
                if !narration.isEmpty { absorbEvents() }
                for n in narration {
                    addMark(status.step)
                    if let text = n.logText { log.append(LogLine(kind: .narration, text: text)) }
                    if n.kind == .ask { pendingAnswer = n.answer ?? "" }
                    if n.stopsPlaying && !throughPauses { state.playing = false; paused = true }
                }
            }
            done += 1
            status.step += 1
            // Marks are noted per operation, so ] and [ land on the operation itself.
            let pending = machine.events.pending
            while scannedEvents < pending.count {
                if case .contractViolated = pending[scannedEvents].kind { addMark(status.step) }
                scannedEvents += 1
            }
            if status.step % snapshotInterval == 0 { takeSnapshot() }
            if paused { break }
            if done & 255 == 0 {
                collectEvents()
                if clock() >= deadline { break }
            }
        }
        absorbEvents()
        if done > 0 { sample() }
    }

    mutating func addMark(_ step: Int) {
        guard !marks.contains(step) else { return }
        marks.append(step)
        marks.sort()
    }

    mutating func takeSnapshot() {
        // Replaying after a seek passes steps that already have a snapshot.
        if let last = snapshots.last, last.step >= status.step { return }
        absorbEvents()
        var position: TraceRun.Position?
        if let trace {
            // A trace that cannot seek (compressed, stdin) is reread from the start instead.
            guard let p = trace.position() else { return }
            position = p
        }
        snapshots.append((status.step, machine, run, ops, log, history, position))
        if snapshots.count > Self.maxSnapshots {
            // Keep every other snapshot and space future ones twice as far apart.
            snapshots = snapshots.enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            snapshotInterval *= 2
        }
    }

    /// Goes to operation `target` (clamped to 0...total): from the nearest snapshot at or before it
    /// (restoring it when that is ahead of where the run stands, or when going back), then playing
    /// the rest. A trace that cannot seek (compressed, stdin) is reread from its start to go back.
    public mutating func seek(to target: Int) {
        let goal = max(0, min(target, status.total ?? target))
        let usable = snapshots.last { $0.step <= goal && (trace == nil || $0.trace != nil) }
        if goal >= status.step && (usable == nil || usable!.step <= status.step) {
            advance(goal - status.step, throughPauses: true)
            return
        }
        if let snap = usable, snap.step > 0 || trace == nil {
            if let trace, let position = snap.trace {
                guard trace.restore(position) else { return rereadTrace(to: goal) }
            }
            machine = snap.machine
            // A trace's run is the live TraceRun, just moved to the snapshot's position; the
            // snapshot's own may be one that a reread has since replaced.
            run = trace.map { TraceWorkloadRun(trace: $0) } ?? snap.run
            ops = snap.ops
            log = snap.log
            history = snap.history
            status.step = snap.step
            status.finished = false
            discardEvents()
            playQuickly(to: goal)
            return
        }
        if trace != nil { rereadTrace(to: goal) }
    }

    /// Plays to `goal` as ``advance(_:clock:deadline:throughPauses:)`` would, but reads a trace on a second thread
    /// for the bulk of the way (a seek replays up to a snapshot interval of lines; this halves the
    /// time), stepping only the last lines and any that reach a snapshot point.
    mutating func playQuickly(to goal: Int) {
        let nextSnapshot = (status.step / snapshotInterval + 1) * snapshotInterval
        let bulk = min(goal, nextSnapshot - 1) - status.step - fastForward.margin
        if let trace, bulk >= fastForward.minimum, trace.canFastForward {
            let base = status.step
            var scanned = 0
            // The closure works on moved-out copies, so that the machine can be passed inout.
            var pendingLog = log, pendingEvents = unformatted, found: [Int] = []
            (log, unformatted) = ([], [])
            let applied = trace.fastForward(bulk, machine: &machine) { m, k in
                // As advance does per step: note violations as marks, take events now and then.
                let pending = m.events.pending
                while scanned < pending.count {
                    if case .contractViolated = pending[scanned].kind { found.append(base + k) }
                    scanned += 1
                }
                if k & 255 == 0 {
                    Self.collect(m.takeEvents(), into: &pendingEvents, log: &pendingLog, machine: m)
                    scanned = 0
                }
            }
            (log, unformatted) = (pendingLog, pendingEvents)
            for mark in found { addMark(mark) }
            collectEvents()
            status.step += applied
        }
        advance(goal - status.step, throughPauses: true)
    }

    /// Starts a trace over from its first line, on the booted machine of the first snapshot, and
    /// plays to `goal`.
    mutating func rereadTrace(to goal: Int) {
        guard case .trace(let path) = request.source, let fresh = try? TraceRun(path: path),
              let start = snapshots.first else { return }
        machine = start.machine
        log = start.log
        history = start.history
        trace = fresh
        run = TraceWorkloadRun(trace: fresh)
        ops = start.ops
        discardEvents()
        status.step = 0
        status.finished = false
        // The first line decides the format; after it a plain-text trace can be read ahead.
        advance(min(goal, 1), throughPauses: true)
        playQuickly(to: goal)
    }

    /// Performs the seek a key asked for.
    mutating func performSeek(_ request: ViewState.Seek) {
        switch request {
        case .back: seek(to: status.step - 1)
        case .start: seek(to: 0)
        case .end: seek(to: status.total ?? Int.max)
        case .to(let n): seek(to: n)
        case .nextMark:
            if let next = marks.first(where: { $0 > status.step }) { seek(to: next); return }
            // Not met yet: play until one happens (or the end).
            let start = status.step
            while !status.finished && !marks.contains(where: { $0 > start }) { advance(256, throughPauses: true) }
            if let m = marks.first(where: { $0 > start }) { seek(to: m) }
        case .previousMark:
            if let previous = marks.last(where: { $0 < status.step }) { seek(to: previous) }
        }
    }

    /// Takes the machine's events without formatting them, except the warnings and violations of
    /// those too old to be shown in full.
    mutating func collectEvents() {
        Self.collect(machine.takeEvents(), into: &unformatted, log: &log, machine: machine)
        scannedEvents = 0
    }

    static func collect(_ events: [HeapEvent], into unformatted: inout [HeapEvent], log: inout [LogLine], machine: Machine) {
        unformatted += events
        if unformatted.count > Self.logCapacity * 4 {
            let old = unformatted.count - Self.logCapacity
            for e in unformatted[..<old] where EventFormatter.isNotable(e) {
                log += EventFormatter.lines(e, in: machine).filter { $0.kind != .event }
            }
            unformatted.removeFirst(old)
        }
    }

    /// Formats the events taken so far into the log: the newest ``logCapacity`` in full, the
    /// warnings and violations of older ones.
    mutating func absorbEvents() {
        collectEvents()
        guard !unformatted.isEmpty else { return }
        let tail = unformatted.suffix(Self.logCapacity)
        for e in unformatted.dropLast(tail.count) where EventFormatter.isNotable(e) {
            log += EventFormatter.lines(e, in: machine).filter { $0.kind != .event }
        }
        for e in tail { log += EventFormatter.lines(e, in: machine) }
        unformatted.removeAll(keepingCapacity: true)
        if log.count > Self.logCapacity * 2 { log.removeFirst(log.count - Self.logCapacity) }
    }

    /// Drops the events not yet formatted (when going back in time).
    mutating func discardEvents() {
        _ = machine.takeEvents()
        unformatted.removeAll(keepingCapacity: true)
        scannedEvents = 0
    }

    mutating func sample() {
        if let zone = machine.populatedZones.max(by: { $0.managedPages < $1.managedPages }) {
            history.append(Fragmentation.unusableIndex(nrFree: zone.nrFree, order: 3))
            if history.count > 512 { history.removeFirst(history.count - 512) }
        }
    }

    /// The frame to draw now.
    public func snapshot() -> FrameSnapshot {
        var s = status
        s.playing = state.playing
        s.speed = state.speed
        return FrameSnapshot(machine: machine, status: s, log: log.suffix(Self.logCapacity), history: history)
    }

    /// Renders the current frame for a `width` x `height` screen and remembers its layout.
    public mutating func render(width: Int, height: Int) -> CellBuffer {
        let (buffer, layout) = Screen.render(snapshot(), state: state, theme: theme, width: width, height: height)
        if let layout { state.layout = layout }
        lastSize = (width, height)
        return buffer
    }

    /// `e`: writes the screen as it is now to memtop-<source>-<event>.svg and .txt in the current
    /// directory (always in 256 colours, whatever the terminal, so slides look the same).
    mutating func exportScreen() {
        let (width, height) = lastSize ?? (160, 50)
        let buffer = Screen.render(snapshot(), state: state, theme: Theme(mode: .full256, projector: theme.projector),
                                   width: width, height: height).0
        let base = "memtop-\(status.source.split(separator: ".").first ?? "screen")-\(status.step)"
        do {
            try Export.write(buffer, machine: machine, title: "memtop — \(status.source)", to: base + ".svg")
            try Export.write(buffer, machine: machine, title: "memtop — \(status.source)", to: base + ".txt")
            log.append(LogLine(kind: .narration, text: "exported the screen to \(base).svg and \(base).txt"))
        } catch {
            log.append(LogLine(kind: .warning, text: "export failed: \(error)"))
        }
    }

    /// Applies one key; returns false when the viewer should quit.
    public mutating func handle(_ key: Key) -> Bool {
        if let answer = pendingAnswer {
            pendingAnswer = nil
            log.append(LogLine(kind: .narration, text: "= " + answer))
            if key == .char(" ") { return true }
        }
        let rows = machine.slabCaches.count
        let columns = state.layout?.mapColumns ?? 80
        let reaction = KeyHandler.handle(key, state: &state, mapFrames: machine.endPFN, mapColumns: columns, slabRows: rows)
        if reaction.contains(.quit) { return false }
        if reaction.contains(.export) { exportScreen() }
        if reaction.contains(.step) { advance(1) }
        if let pending = state.seek {
            state.seek = nil
            performSeek(pending)
        }
        return true
    }

    /// Time is running: playing and not at the end of the source.
    public var isRunning: Bool { state.playing && !status.finished }
    /// Operations per second while playing.
    public var playSpeed: Int { state.speed }

    /// Advances by `steps` operations, stopping early at `deadline`.
    public mutating func play(_ steps: Int, clock: () -> UInt64, deadline: UInt64) {
        advance(steps, clock: clock, deadline: deadline)
    }

    /// Keeps the frame time when measuring (`MEMTOP_FRAME_STATS`).
    public mutating func recordFrameTime(_ nanoseconds: UInt64) {
        if frameTimes != nil { frameTimes!.append(nanoseconds) }
    }
}
