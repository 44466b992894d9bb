/// A token of a `print fmt:` line.
enum PrintToken: Equatable, Sendable {
    case number(UInt64, unsigned: Bool)
    case string([UInt8])
    case identifier(String)
    case punctuation(String)
}
