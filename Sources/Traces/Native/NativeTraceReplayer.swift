import HeapModel
import Operations

/// Replays memtop's own trace format line by line: each line parsed by ``NativeTraceFormat`` and
/// applied by an ``OperationRunner`` to a machine the caller passes `inout`.
public struct NativeTraceReplayer: Sendable {
    /// The runner and its name tables.
    public var runner = OperationRunner()
    /// The input's name for messages.
    public let file: String
    /// The kernel whose GFP names the file's flags are read with.
    public let kernel: KernelVersion

    /// A replayer of `file`, reading flags with `kernel`'s names.
    public init(file: String, kernel: KernelVersion) {
        self.file = file
        self.kernel = kernel
    }

    /// Whether `line` is the header that starts a memtop trace.
    public static func isHeader(_ line: Substring) -> Bool { String(line).trimmingSpaces() == NativeTraceFormat.header }

    /// Parses and applies line `number`.
    /// - Returns: the operation applied, or nil for a blank line or a comment.
    /// - Throws: ``TraceInputError`` at `file:number` for a malformed line or one that names an
    ///   allocation, cache or block that does not exist (the machine is then unchanged).
    @discardableResult
    public mutating func apply(_ line: Substring, number: Int, to machine: inout Machine) throws(TraceInputError) -> Operation? {
        guard let op = try NativeTraceFormat.parse(line, number: number, file: file, kernel: kernel) else { return nil }
        do { _ = try runner.apply(op, to: &machine) } catch {
            throw TraceInputError(file: file, line: number, message: error.description)
        }
        return op
    }
}
