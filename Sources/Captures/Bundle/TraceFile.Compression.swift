extension TraceFile {
    /// The compression the name's last suffix says.
    public enum Compression: Hashable, Sendable {
        /// No compression suffix.
        case none
        /// `.gz`.
        case gzip
        /// `.xz`.
        case xz
        /// `.zst`.
        case zstd
        /// `.bz2`.
        case bzip2
    }
}
