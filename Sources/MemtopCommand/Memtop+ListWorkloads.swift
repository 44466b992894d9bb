import ArgumentParser
import BuiltInWorkloads

extension Memtop {
    /// `memtop workloads`: lists the built-in workloads (module `BuiltInWorkloads`) and the file workloads of `assets/workloads`.
    public struct ListWorkloads: ParsableCommand {
        /// Command description.
        public static let configuration = CommandConfiguration(commandName: "workloads", abstract: "List the built-in workloads.")

        /// Creates the command (needed by the parser).
        public init() {}

        /// Prints one line per workload: name, then description.
        public func run() throws {
            let files = Lessons.workloads()
            let width = (Workload.all.map(\.name.count) + files.map(\.name.count)).max() ?? 0
            for w in Workload.all {
                print(w.name + String(repeating: " ", count: width - w.name.count + 2) + w.summary)
            }
            for f in files {
                print(f.name + String(repeating: " ", count: width - f.name.count + 2) + f.title + " (assets/workloads)")
            }
        }
    }
}
