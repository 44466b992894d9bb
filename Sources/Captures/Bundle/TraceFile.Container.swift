extension TraceFile {
    /// How the events are stored, judged by the name.
    public enum Container: Hashable, Sendable {
        /// Text (`trace.txt`, `trace.txt.xz`, ...).
        case text
        /// A trace-cmd `trace.dat` (`trace.dat`, `trace.dat.xz`).
        case traceDat
    }
}
