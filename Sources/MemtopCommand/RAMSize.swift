import ArgumentParser
import HeapModel

/// A RAM size on the command line (`1G`, `512M`, `1073741824`).
public struct RAMSize: ExpressibleByArgument, Sendable, Hashable {
    /// Bytes.
    public let bytes: UInt64
    /// Wraps a byte count.
    public init(bytes: UInt64) { self.bytes = bytes }
    /// Parses a size with an optional K/M/G/T suffix.
    public init?(argument: String) {
        guard let bytes = try? ByteSize.parse(argument) else { return nil }
        self.bytes = bytes
    }
    /// The default as help shows it.
    public var defaultValueDescription: String { ByteSize.format(bytes) }
}
