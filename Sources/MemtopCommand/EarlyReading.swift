import HeapModel
import Traces

/// A replay's trace, opened and (for ftrace text) already being read and decoded on a second
/// thread while the replay builds its machine.
///
/// What goes wrong opening or reading the first line is kept, not thrown: the replay says it
/// after what building the machine found wrong, in the order it always has (``opened()``).
struct EarlyReading {
    private let opening: Result<(source: LineSource, first: Substring?, line: Int), TraceInputError>
    /// The reading of the lines after the first, started when the first is not a memtop trace's
    /// header and a kernel was given.
    let reading: TraceReading?

    /// Opens `trace` and reads its first line; with a `kernel`, starts reading the rest (up to
    /// line `limit`, every page event when `placement`, each line's time when `timestamps`)
    /// unless the trace is a memtop trace.
    init(trace: String, kernel: KernelVersion?, placement: Bool, limit: Int, timestamps: Bool) {
        opening = Result { () throws(TraceInputError) in
            let source = try LineSource(path: trace)
            let first = try source.nextLine()
            return (source, first, source.lineNumber)
        }
        if let kernel, case .success(let opened) = opening, let first = opened.first, !NativeTraceReplayer.isHeader(first) {
            reading = TraceReading.start(opened.source, file: trace, kernel: kernel, placement: placement, limit: limit, timestamps: timestamps)
        } else {
            reading = nil
        }
    }

    /// The source, its first line (nil for an empty file) and that line's number.
    /// - Throws: ``RunFailure`` when the trace could not be opened or its first line read.
    func opened() throws -> (source: LineSource, first: Substring?, line: Int) {
        switch opening {
        case .success(let opened): return opened
        case .failure(let error): throw RunFailure(error.description)
        }
    }
}
