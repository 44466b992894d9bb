import Allocators
import ArgumentParser
import HeapModel
import Workloads

extension Memtop {
    /// `memtop record WORKLOAD -o FILE`: writes a workload's operations in memtop's trace format.
    public struct Record: ParsableCommand {
        /// Command description.
        public static let configuration = CommandConfiguration(
            abstract: "Write a workload's operations as a memtop trace (replay it with memtop replay).",
            discussion: "Replaying the recording on a machine with the same options reproduces the same final state."
        )

        /// Which workload.
        @Argument(help: "The workload to record (see `memtop workloads`).")
        public var workload: String

        /// Where to write.
        @Option(name: .shortAndLong, help: ArgumentHelp("The trace to write; - for standard output.", valueName: "file"))
        public var output: String

        /// The machine.
        @OptionGroup public var machine: MachineOptions

        /// Creates the command (needed by the parser).
        public init() {}

        /// Checks that the workload exists.
        public func validate() throws {
            guard Workload.named(workload) != nil else {
                throw ValidationError("unknown workload '\(workload)'; known: \(Workload.all.map(\.name).joined(separator: ", "))")
            }
        }

        /// Plays the workload with the operation log on and writes the log.
        public func run() throws {
            guard let w = Workload.named(workload) else { return }
            let configuration = machine.machineConfiguration
            var m: Machine
            do { m = try Kernel.boot(configuration) } catch { throw RunFailure(error.description, exitCode: 2) }
            let writer = try TextFileWriter(path: output)
            writer.write("# memtop trace v1\n")
            writer.write("# recorded: memtop record \(workload) --kernel \(configuration.kernel) --cpus \(configuration.cpus) "
                         + "--ram \(ByteSize.format(configuration.ramBytes)) --seed \(machine.seed)\n")
            writer.write("# replay with the same --kernel, --cpus and --ram to reach the same state\n")
            m.setRecordingOperations(true)
            var run = w.start(machine.seed, configuration)
            var steps = 0
            while run.step(&m) {
                steps += 1
                if steps % 4096 == 0 { flush(&m, writer) }
            }
            flush(&m, writer)
            try writer.close()
        }

        func flush(_ m: inout Machine, _ writer: TextFileWriter) {
            var chunk = ""
            for op in m.takeOperations() { chunk += op.line + "\n" }
            writer.write(chunk)
        }
    }
}
