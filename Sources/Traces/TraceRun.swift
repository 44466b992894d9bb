import HeapModel
import Operations

/// A trace replayed one line at a time, for the viewer: ftrace text or memtop's own format,
/// decided by the first line. The machine is the caller's, passed `inout` to each step.
public final class TraceRun {
    private let source: LineSource
    private var ftrace: FtraceReplayer?
    private var native: NativeTraceReplayer?
    private var started = false
    /// The first error met; the run stops there.
    public private(set) var error: TraceInputError?
    /// Narration met since the last call to ``takeNarration()``.
    private var narration: [Narration] = []
    let file: String

    /// How an ftrace replay starts: placing pages as traced or not, and what the machine was rebuilt from.
    public struct Setup: Sendable {
        /// Pages and objects go where the trace says (else memtop's allocators decide).
        public var placement = true
        /// The machine holds state rebuilt from a capture.
        public var reconstructed = false
        /// Rebuilt vmalloc areas: the real start and memtop's.
        public var vmallocAreas: [(real: UInt64, ours: VirtualAddress)] = []
        /// The defaults: placing as traced, on a freshly booted machine.
        public init() {}
    }
    let setup: Setup

    /// Opens `path` for stepping.
    /// - Throws: ``TraceInputError`` when it cannot be opened.
    public init(path: String, setup: Setup = Setup()) throws(TraceInputError) {
        source = try LineSource(path: path)
        file = path
        self.setup = setup
    }

    /// Applies the next line to `machine`; false at the end or after an error.
    public func step(_ machine: inout Machine) -> Bool {
        guard error == nil else { return false }
        do throws(TraceInputError) {
            if !started {
                guard let first = try source.nextLine() else { return false }
                started = true
                let kernel = machine.configuration.kernel
                if NativeTraceReplayer.isHeader(first) {
                    native = NativeTraceReplayer(file: file, kernel: kernel)
                    return true
                }
                ftrace = FtraceReplayer(file: file, kernel: kernel, check: false, placement: setup.placement)
                ftrace!.hasReconstructedState = setup.reconstructed
                for area in setup.vmallocAreas { ftrace!.adoptVmallocArea(real: area.real, ours: area.ours) }
                try ftrace!.apply(first, line: source.lineNumber, strict: false, to: &machine)
                return true
            }
            if native != nil {
                guard let line = try source.nextLine() else { return false }
                if case .narrate(let n)? = try native!.apply(line, number: source.lineNumber, to: &machine) { narration.append(n) }
                return true
            }
            let lineNumber = source.lineNumber + 1
            let more = try source.withNextLine { bytes throws(TraceInputError) in
                try ftrace!.apply(bytes: bytes, line: lineNumber, strict: false, to: &machine)
            }
            // The end of the input ends the last event's call chain.
            if !more { try ftrace!.finishCallChain(strict: false, on: &machine) }
            return more
        } catch {
            self.error = error
            return false
        }
    }

    /// Whether ``fastForward(_:machine:afterLine:)`` can be used now: an ftrace replay under way
    /// on a plain file (the reader reads ahead, so it must be able to seek back).
    public var canFastForward: Bool { started && ftrace != nil && error == nil && source.isSeekable }

    /// Applies up to `count` more lines as `count` calls of ``step(_:)`` would, reading and decoding
    /// them on a second thread; `afterLine` sees the machine after each line, with how many lines
    /// have been applied so far.
    /// - Returns: the lines applied (fewer at the end of the input or at an error, which is kept
    ///   in ``error`` as `step` keeps it).
    /// - Precondition: ``canFastForward``.
    public func fastForward(_ count: Int, machine: inout Machine, afterLine: (inout Machine, Int) -> Void) -> Int {
        precondition(canFastForward)
        let first = source.lineNumber
        var last = first
        do throws(TraceInputError) {
            try ftrace!.replayAll(from: source, upTo: first + count, strict: false, rewind: true, on: &machine) { _, machine, line in
                last = line
                afterLine(&machine, line - first)
            }
        } catch {
            self.error = error
        }
        return last - first
    }

    /// Where a replay stands: the next line's offset and number and the replayer's own state (its
    /// pointer maps or name tables), so that time travel can come back here without rereading the file.
    public struct Position {
        let offset: Int64
        let line: Int
        let ftrace: FtraceReplayer?
        let native: NativeTraceReplayer?
    }

    /// The current position, or nil when the source cannot seek (compressed input, stdin).
    public func position() -> Position? {
        guard source.isSeekable, started else { return nil }
        return Position(offset: source.offset, line: source.lineNumber, ftrace: ftrace, native: native)
    }

    /// Goes back (or forward) to a position taken by ``position()``. The machine is the caller's.
    /// - Returns: false when the source cannot seek.
    public func restore(_ p: Position) -> Bool {
        guard source.seek(toOffset: p.offset, line: p.line) else { return false }
        ftrace = p.ftrace
        native = p.native
        error = nil
        narration.removeAll()
        return true
    }

    /// Events the ring buffer lost so far, by the trace's own `[LOST N EVENTS]` notices.
    public var lostEvents: Int { ftrace?.lostEvents ?? 0 }

    /// Narration lines (`say`, `mark`, `ask`, `pause`) met since the last call.
    public func takeNarration() -> [Narration] {
        defer { narration.removeAll() }
        return narration
    }

    /// Lines in `path`, reading it once; `progress` gets the fraction read so far (when the size is known).
    public static func countLines(_ path: String, progress: (Double) -> Void) throws(TraceInputError) -> Int {
        let source = try LineSource(path: path)
        var n = 0
        try source.forEachLine { _ in
            n += 1
            if n % 65536 == 0, let size = source.sizeOnDisk, size > 0 {
                progress(min(1, Double(source.bytesRead) / Double(size * (path.hasSuffix(".xz") ? 9 : path.hasSuffix(".gz") ? 6 : 1))))
            }
            return true
        }
        progress(1)
        return n
    }
}
