import Allocators
import HeapModel

/// A run that failed for a reason the user must see (bad file, unwritable output).
public struct RunFailure: Error, Sendable {
    /// The one-line message.
    public let message: String
    /// The process exit code.
    public let exitCode: Int32

    /// A failure with a message and exit code 1.
    public init(_ message: String, exitCode: Int32 = 1) {
        self.message = message
        self.exitCode = exitCode
    }
}

extension RunFailure {
    /// Boots a machine, or fails with exit status 2 naming the configuration's problem.
    static func boot(_ configuration: MachineConfiguration) throws -> Machine {
        do { return try Kernel.boot(configuration) } catch { throw RunFailure(error.description, exitCode: 2) }
    }
}
