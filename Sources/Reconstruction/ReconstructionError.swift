/// Why a bundle could not be rebuilt.
public struct ReconstructionError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is missing or wrong.
    public let description: String
    init(_ description: String) { self.description = description }
}
