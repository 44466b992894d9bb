import Allocators
import BuiltInWorkloads
import Captures
import HeapModel
import Operations
import TerminalUI
import Traces

/// A viewer run: the machine and its source of operations, composed with the time travel
/// (``Timeline``), the event log (``EventLogBuffer``) and a lesson's narration (``LessonPlayer``).
/// Time comes from the clock passed in, keys and drawing from the backend, so tests drive it
/// without a terminal.
public struct ViewerSession: PlayableSession {
    /// The live machine.
    public internal(set) var machine: Machine
    var run: any WorkloadRun
    /// The runner a workload's operations go through (a trace has its own).
    var ops = OperationRunner()
    var trace: TraceRun?
    var timeline = Timeline()
    var events = EventLogBuffer()
    var lesson = LessonPlayer()
    /// Every cache's objects and slabs over the run, for the slab panel's timeline and `G`.
    var cacheSamples = CacheSamples()
    /// The step that placed each frame's block (the inspector's "placed by line N").
    var placements = PlacementSteps(frames: 0)
    /// How many of the machine's pending events have been looked at for marks.
    var scannedEvents = 0
    /// The step that made each of the machine's pending events, for the log.
    var pendingSteps: [Int] = []
    /// Lost events already noted in the log.
    var lostSeen = 0
    /// Seeks read a trace on a second thread for at least `minimum` lines (below that, starting the
    /// thread costs more than it saves), leaving the last `margin` lines to be stepped.
    var fastForward = (minimum: 20_000, margin: 1_000)
    var lastSize: (Int, Int)?
    /// The geometry of the frame drawn last (nil before the first, or when the terminal was too
    /// small), for the mouse and the page map's rows.
    public internal(set) var layout: ScreenLayout?
    /// The slab panel's rows of the frame drawn last and the step they were built at, so that the
    /// keys read the rows drawn instead of sorting the caches again (nil before the first frame).
    var frameRows: (step: Int, rows: SlabPanelRows)?
    /// When set, `e` only raises ``exportRequested`` for the owner to export (a comparison writes
    /// one picture of both sides).
    var exportsForOwner = false
    /// `e` was pressed while ``exportsForOwner`` is set.
    var exportRequested = false
    let request: ViewerRequest
    /// The trace file read (a bundle's trace, for a bundle) and how its replay starts.
    var tracePath = ""
    var traceSetup = TraceRun.Setup()
    /// UI state.
    public var state = ViewState()
    /// Status facts.
    public internal(set) var status: StatusInfo
    /// Fragmentation history.
    public internal(set) var history: [Int] = []
    /// The colours.
    public var theme: Theme
    /// Nanoseconds each frame took to render and hand to the backend, when measuring.
    public var frameTimes: [UInt64]?

    /// Latest log lines.
    public var log: [LogLine] { events.lines }
    /// The error a trace stopped at, if it did.
    public var traceError: String? { trace?.error?.description }
    /// Steps at which a violation, narration or mark happened (for `]` and `[`).
    public var marks: [Int] { timeline.marks }
    /// Steps between snapshots.
    public var snapshotInterval: Int { timeline.interval }
    /// The most snapshots time travel keeps.
    public var snapshotCapacity: Int { timeline.capacity }
    /// The snapshots time travel holds now.
    public var snapshotCount: Int { timeline.snapshots.count }
    /// The bytes the snapshots hold beyond what they share with the live machine (at most the budget).
    public var snapshotBytes: Int { timeline.heldBytes }

    /// A session playing `request`. A workload's operations are counted first on a copy (workloads
    /// are deterministic, so the count is exact); a trace's lines are counted with `progress`
    /// told the fraction read, for the import's progress bar.
    public init(_ request: ViewerRequest, theme: Theme, progress: (Double) -> Void = { _ in }) throws {
        let configuration = request.configuration
        var machine = try RunFailure.boot(configuration)
        let total: Int
        var traceSetup = TraceRun.Setup()
        traceSetup.placement = request.placement
        var tracePath = ""
        if case .trace(let path) = request.source {
            tracePath = path
            if CaptureBundle.isBundle(path: path) {
                let rebuilt = try ReplaySetup.rebuild(bundle: path, kernel: request.kernelFromCommandLine)
                machine = rebuilt.machine
                tracePath = rebuilt.trace
                traceSetup.reconstructed = true
                traceSetup.vmallocAreas = rebuilt.vmallocAreas
            }
        }
        switch request.source {
        case .workload(let workload):
            var counter = machine
            var countRun = workload.start(request.seed, configuration)
            total = Workload.runToEnd(&countRun, on: &counter)
            run = workload.start(request.seed, configuration)
        case .trace:
            do {
                total = try TraceRun.countLines(tracePath, progress: progress)
                let opened = try TraceRun(path: tracePath, setup: traceSetup)
                trace = opened
                run = TraceWorkloadRun(trace: opened)
            } catch {
                throw RunFailure(error.description)
            }
        }
        machine.setRecording(true)
        self.machine = machine
        self.request = request
        self.tracePath = tracePath
        self.traceSetup = traceSetup
        self.theme = theme
        if case .trace = request.source { lesson.sayPauses = Lessons.sayPauses(tracePath) }
        self.status = StatusInfo(source: request.name, step: 0, total: total, speed: state.speed, playing: true)
        if case .trace = request.source { status.counter = "line" }
        state.pageMap.cursor = machine.populatedZones.last.map { $0.startPFN.rawValue } ?? 0
        sample()
        timeline = Timeline(budget: request.snapshotBudget)
        placements = PlacementSteps(frames: machine.endPFN)
        timeline.keep(Timeline.Snapshot(step: 0, machine: machine, run: run, ops: ops, log: log, history: history,
                                        placements: placements, trace: nil))
    }

    /// Performs up to `count` operations, stopping early after `deadline` (clock nanoseconds).
    /// Only the newest events are formatted for the log; violations and warnings always are.
    /// Playing stops at a lesson's `pause` and `ask`; going to an event (`throughPauses`) passes
    /// them, answering the questions it passes as a key would.
    public mutating func advance(_ count: Int, clock: () -> UInt64 = { 0 }, deadline: UInt64 = .max, throughPauses: Bool = false) {
        var done = 0
        while done < count && !status.finished {
            if throughPauses, let answer = lesson.revealAnswer() {
                absorbEvents()
                events.append(answer)
            }
            guard run.step(&ops, &machine) else {
                noteSteps(status.step)
                absorbEvents()
                status.finished = true
                state.playing = false
                if let error = trace?.error { events.append(LogLine(kind: .violation, text: error.description)) }
                break
            }
            noteSteps(status.step + 1)
            // A pause or a question stops the play after its line (the line is a step like any other).
            let paused = narrate(throughPauses: throughPauses)
            noteLostEvents()
            done += 1
            status.step += 1
            noteViolations()
            if timeline.isDue(status.step) { takeSnapshot() }
            if status.step % cacheSamples.every == 0 { cacheSamples.take(step: status.step, machine: machine) }
            if paused { break }
            if done & 255 == 0 {
                collectEvents()
                if clock() >= deadline { break }
            }
        }
        absorbEvents()
        if done > 0 { sample() }
    }

    /// Takes the narration of the step just made; true when playing must stop after it.
    mutating func narrate(throughPauses: Bool) -> Bool {
        guard let trace else { return false }
        let narration = trace.takeNarration()
        guard !narration.isEmpty else { return false }
        // The events so far go to the log first, so that the story reads in order.
        absorbEvents()
        for _ in narration { timeline.addMark(status.step) }
        let effect = lesson.absorb(narration, step: status.step + 1, machine: machine, throughPauses: throughPauses)
        for line in effect.lines { events.append(line) }
        if effect.newCard {
            // A new line is the one to read: the pane comes back and shows it.
            state.narrationBack = 0
            state.narrationHidden = false
        }
        if effect.stop { state.playing = false }
        return effect.stop
    }

    /// A `[LOST N EVENTS]` line: a mark and a warning, since what follows is uncertain.
    mutating func noteLostEvents() {
        guard let trace, trace.lostEvents != lostSeen else { return }
        let lost = trace.lostEvents - lostSeen
        lostSeen = trace.lostEvents
        absorbEvents()
        timeline.addMark(status.step)
        timeline.addMark(.lost, at: status.step)
        events.append(LogLine(kind: .warning, text: "the ring buffer lost \(lost) events here: what follows may be missing frees and allocations"))
    }

    /// Marks the step of every violation among the machine's pending events, so ] and [ land on
    /// the operation itself.
    mutating func noteViolations() {
        let pending = machine.events.pending
        while scannedEvents < pending.count {
            let kind = pending[scannedEvents].kind
            if let mark = Timeline.mark(of: kind) { timeline.add(mark, at: status.step) }
            placements.note(kind, step: status.step)
            scannedEvents += 1
        }
    }

    /// Notes that the machine's pending events not yet attributed were made by `step`.
    mutating func noteSteps(_ step: Int) {
        let new = machine.events.pending.count - pendingSteps.count
        if new > 0 { pendingSteps += repeatElement(step, count: new) }
    }

    /// Takes the machine's events without formatting them.
    mutating func collectEvents() {
        noteSteps(status.step)
        events.collect(machine.takeEvents(), steps: pendingSteps, machine: machine)
        pendingSteps.removeAll(keepingCapacity: true)
        scannedEvents = 0
    }

    /// Formats the events taken so far into the log.
    mutating func absorbEvents() {
        collectEvents()
        events.format(in: machine)
    }

    /// Drops the events not yet formatted (when going back in time).
    mutating func discardEvents() {
        _ = machine.takeEvents()
        pendingSteps.removeAll(keepingCapacity: true)
        events.discardPending()
        scannedEvents = 0
    }

    mutating func sample() {
        if let zone = machine.populatedZones.max(by: { $0.managedPages < $1.managedPages }) {
            history.append(Fragmentation.unusableIndex(nrFree: zone.nrFree, order: 3))
            if history.count > 512 { history.removeFirst(history.count - 512) }
        }
    }

    /// The slab panel's rows for the view now: the last frame's while they are still the rows
    /// shown (same step, sort and mode), else built as the statistics step builds them (before the
    /// first frame, or after keys that changed the sort without a frame between).
    func panelRows() -> SlabPanelRows {
        if let frameRows, frameRows.step == status.step, frameRows.rows.fit(state) { return frameRows.rows }
        return SlabPanelRows(machine, report: events.sites, state: state)
    }

    /// The frame to draw now: the machine and what the session sampled over the run. The rows,
    /// timelines and highlights are the statistics step's to derive (``FrameStatistics``).
    public func snapshot() -> FrameSnapshot {
        var s = status
        s.playing = state.playing
        s.speed = state.speed
        var snap = FrameSnapshot(machine: machine, status: s, log: log.suffix(EventLogBuffer.capacity), history: history,
                                 narration: lesson.cards)
        snap.callSiteReport = events.sites
        snap.samples = cacheSamples
        snap.placements = placements
        return snap
    }

    /// The frame's values as drawn now at `width` x `height` (nil when that is below the minimum
    /// size), without drawing: what a test reads of the rows, timelines and highlights.
    public func statistics(width: Int = 160, height: Int = 50) -> FrameStatistics? {
        guard let layout = ScreenLayout(width: width, height: height, frames: machine.endPFN, pixelsPerCell: theme.projector ? 1 : 2)
        else { return nil }
        return FrameStatistics(snapshot(), state: state, layout: layout)
    }

    /// Renders the current frame for a `width` x `height` screen. The widgets keep their scroll
    /// in ``state``; the geometry drawn is kept in ``layout`` for the mouse, the slab panel's rows
    /// for the keys.
    public mutating func render(width: Int, height: Int) -> CellBuffer {
        let frame = Screen.renderFrame(snapshot(), state: &state, theme: theme, width: width, height: height)
        layout = frame.layout
        frameRows = frame.statistics.map { (status.step, $0.rows) }
        lastSize = (width, height)
        return frame.buffer
    }

    /// Applies one key; returns false when the viewer should quit.
    public mutating func handle(_ key: Key) -> Bool {
        if let answer = lesson.revealAnswer() {
            events.append(answer)
            if key == .char(" ") { return true }
        }
        let rows = panelRows().count(for: state)
        let reaction = KeyHandler.handle(key, state: &state, layout: layout, mapFrames: machine.endPFN, slabRows: rows)
        if reaction.contains(.quit) { return false }
        if let jump = reaction.searchJump {
            state.slabTable.selected = SlabRow.jump(jump, from: state.slabTable.selected, in: panelRows().matches(for: state))
        }
        state.narrationBack = min(state.narrationBack, max(0, lesson.cards.count - 1))
        state.vmallocRow = min(state.vmallocRow, max(0, machine.vmap.areas.count - 1))
        if reaction.contains(.export) {
            if exportsForOwner { exportRequested = true } else { exportScreen() }
        }
        if reaction.contains(.step) { advance(1) }
        if let seek = reaction.seek { performSeek(seek) }
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
