import ArgumentParser
import BuiltInWorkloads
import HeapModel

extension Memtop {
    /// `memtop run WORKLOAD`: plays a built-in workload on a simulated machine.
    public struct Run: ParsableCommand {
        /// The workload `memtop` plays with no arguments.
        public static let defaultWorkload = "tour"

        /// Command description.
        public static let configuration = CommandConfiguration(
            commandName: "run",
            abstract: "Play a built-in workload on a simulated machine.",
            discussion: "List the workloads with `memtop workloads`."
        )

        /// Which workload.
        @Argument(help: "The workload to play (see `memtop workloads`).")
        public var workload: String = Run.defaultWorkload

        /// The machine.
        @OptionGroup public var machine: MachineOptions

        /// The output options.
        @OptionGroup public var output: OutputOptions

        /// Creates the command (needed by the parser).
        public init() {}

        /// Checks that the workload exists.
        public func validate() throws {
            guard Workload.named(workload) != nil || Lessons.workloads().contains(where: { $0.name == workload }) else {
                let known = Workload.all.map(\.name) + Lessons.workloads().map(\.name)
                throw ValidationError("unknown workload '\(workload)'; known: \(known.joined(separator: ", "))")
            }
            if Workload.named(workload) == nil, let file = Lessons.workloads().first(where: { $0.name == workload }) {
                try output.refuseOverwriting(input: file.path)
            }
        }

        /// Runs the workload headless and prints what was asked for.
        public func run() throws {
            guard let workload = Workload.named(workload) else {
                // A hand-written workload in assets/workloads: replay it.
                if let file = Lessons.workloads().first(where: { $0.name == workload }) {
                    var replay = try Memtop.Replay.parse([file.path])
                    replay.machine = machine
                    replay.output = output
                    try replay.run()
                }
                return
            }
            let result = try HeadlessRun.play(workload: workload, machine: machine, output: output)
            if output.printsSummary { print(result, terminator: "") }
        }
    }
}
