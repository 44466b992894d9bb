/// Why a capture file, or a bundle, could not be read.
///
/// Every parser in this module throws this one type. It carries the file as it was named to the
/// parser (`start/zoneinfo.txt`, or whatever label a caller passed for text it rendered itself),
/// the 1-based line the problem is on, and what was expected and what was found instead; the
/// sentence people read is built by ``description`` in `CaptureError+Description.swift`.
public struct CaptureError: Error, Hashable, Sendable {
    /// The file as named to the parser or the bundle reader.
    public let file: String
    /// The 1-based line of the problem; nil when it concerns the file as a whole (missing,
    /// unreadable, ended early).
    public let line: Int?
    /// What the parser expected there, e.g. `a number for "managed"`.
    public let expected: String
    /// What it found instead, e.g. `"12x"`, `end of file` or `no such file`.
    public let found: String

    /// An error about `file` at `line`: expected `expected`, found `found`.
    ///
    /// - Parameters:
    ///   - file: The file as named to the parser.
    ///   - line: The 1-based line, or nil for the file as a whole.
    ///   - expected: What should have been there.
    ///   - found: What was there.
    public init(file: String, line: Int?, expected: String, found: String) {
        self.file = file
        self.line = line
        self.expected = expected
        self.found = found
    }
}
