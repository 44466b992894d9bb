/// A capture bundle: a real kernel's allocator state before (`start/`) and after (`end/`) a
/// traced workload, with the trace and the machine's identity.
///
/// A simulator that boots like `start/` and replays ``trace`` should end like ``end``;
/// ``StateComparison`` measures how far it is. The layout is described in the bundles'
/// `README.md`: a folder holding `start/` (and usually `end/`), `uname.txt`, `nproc.txt` and one
/// `trace.*` file.
///
/// Only `start/zoneinfo.txt`, `start/buddyinfo.txt` and `start/slabinfo.txt` are required: a
/// bundle whose trace is kept in another form (the `formats/6.1-mix` folder names its traces
/// `trace-v7.dat.xz`, `perf-script.txt.xz`, ...) or that lacks `nproc.txt` still reads, with
/// ``trace`` or ``cpus`` nil.
public struct CaptureBundle: Hashable, Sendable {
    /// The bundle folder's path.
    public var path: String
    /// The trace: the one `trace.*` file, text preferred over trace.dat; nil when there is none.
    public var trace: TraceFile?
    /// The kernel from `uname.txt`; nil when the file is absent.
    public var release: KernelRelease?
    /// The CPU count from `nproc.txt`; nil when the file is absent.
    public var cpus: Int?
    /// The state before the trace started.
    public var start: ProcState
    /// The state after the trace stopped; nil when the bundle has no `end/`.
    public var end: ProcState?

    /// A bundle from its parts.
    ///
    /// - Parameters:
    ///   - path: The folder's path.
    ///   - trace: The trace file, if any.
    ///   - release: The kernel, if known.
    ///   - cpus: The CPU count, if known.
    ///   - start: The starting state.
    ///   - end: The final state, if any.
    public init(path: String, trace: TraceFile?, release: KernelRelease?, cpus: Int?, start: ProcState, end: ProcState?) {
        self.path = path
        self.trace = trace
        self.release = release
        self.cpus = cpus
        self.start = start
        self.end = end
    }
}
