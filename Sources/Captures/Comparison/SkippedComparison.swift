/// A file the comparison could not use because one side lacks it.
public struct SkippedComparison: Hashable, Sendable {
    /// The file.
    public var file: File
    /// Whether the real state lacks it.
    public var absentFromReal: Bool
    /// Whether memtop's state lacks it.
    public var absentFromMemtop: Bool

    /// A skipped file.
    ///
    /// - Parameters:
    ///   - file: The file.
    ///   - absentFromReal: Whether the real state lacks it.
    ///   - absentFromMemtop: Whether memtop's state lacks it.
    public init(file: File, absentFromReal: Bool, absentFromMemtop: Bool) {
        self.file = file
        self.absentFromReal = absentFromReal
        self.absentFromMemtop = absentFromMemtop
    }
}
