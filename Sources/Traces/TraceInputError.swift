/// Why an input could not be read.
public struct TraceInputError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The file as named.
    public let file: String
    /// The 1-based line, when the problem is on one.
    public let line: Int?
    /// What was expected and what was found.
    public let message: String

    /// An error about `file` (at `line`).
    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    /// `FILE:LINE: message`, as compilers print it.
    public var description: String { line.map { "\(file):\($0): \(message)" } ?? "\(file): \(message)" }
}
