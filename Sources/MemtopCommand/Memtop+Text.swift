import ArgumentParser
import Traces

#if canImport(Glibc)
@preconcurrency import Glibc
#endif

extension Memtop {
    /// `memtop text FILE`: prints a trace as the ftrace text replay reads, a trace.dat as the
    /// kernel's own `trace` file would print its events.
    public struct Text: ParsableCommand {
        /// Command description.
        public static let configuration = CommandConfiguration(
            commandName: "text",
            abstract: "Print a trace as ftrace text: a trace-cmd trace.dat (version 6 or 7, also .xz/.gz) as the kernel's trace file prints it.",
            discussion: "Other inputs (ftrace text, plain or compressed) are printed as they are. Nothing is simulated."
        )

        /// The trace.
        @Argument(help: "The trace file: a trace.dat or ftrace text, optionally .gz or .xz; - reads standard input (text only).")
        public var file: String

        /// Creates the command (needed by the parser).
        public init() {}

        /// Copies the source's lines to standard output.
        public func run() throws {
            let source: LineSource
            do { source = try LineSource(path: file) } catch { throw RunFailure(error.description) }
            do {
                try source.forEachLine { line in
                    // SAFETY: the line's bytes are valid for the call; stdout is C's own stream.
                    fwrite(line.baseAddress, 1, line.count, stdout)
                    putc(10, stdout)
                    return true
                }
            } catch {
                throw RunFailure(error.description)
            }
        }
    }
}
