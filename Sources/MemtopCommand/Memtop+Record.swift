import Allocators
import ArgumentParser
import BuiltInWorkloads
import HeapModel
import Operations
import Traces

extension Memtop {
    /// `memtop record WORKLOAD -o FILE`: writes a workload's operations in memtop's trace format.
    public struct Record: ParsableCommand {
        /// Command description.
        public static let configuration = CommandConfiguration(
            commandName: "record",
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
            guard Workload.named(workload) != nil || Lessons.workloads().contains(where: { $0.name == workload }) else {
                let known = Workload.all.map(\.name) + Lessons.workloads().map(\.name)
                throw ValidationError("unknown workload '\(workload)'; known: \(known.joined(separator: ", "))")
            }
            if Workload.named(workload) == nil, let file = Lessons.workloads().first(where: { $0.name == workload }),
               OutputOptions.sameFile(output: output, input: file.path) {
                throw ValidationError("-o \(output) is the input trace; refusing to overwrite it")
            }
        }

        /// Plays the workload (built in, or a file of assets/workloads) and writes every operation
        /// the runner applied.
        public func run() throws {
            let configuration = machine.machineConfiguration
            var m = try RunFailure.boot(configuration)
            let writer = try TextFileWriter(path: output)
            writer.write(NativeTraceFormat.header + "\n")
            writer.write("# recorded: memtop record \(workload) --kernel \(configuration.kernel) --cpus \(configuration.cpus) "
                         + "--ram \(ByteSize.format(configuration.ramBytes)) --seed \(machine.seed)\n")
            writer.write("# replay with the same --kernel, --cpus and --ram to reach the same state\n")
            if let w = Workload.named(workload) {
                var ops = OperationRunner()
                ops.startRecording()
                var run = w.start(machine.seed, configuration)
                var steps = 0
                while run.step(&ops, &m) {
                    steps += 1
                    if steps % 4096 == 0 { write(ops.takeRecorded(), to: writer, kernel: configuration.kernel) }
                }
                write(ops.takeRecorded(), to: writer, kernel: configuration.kernel)
            } else if let file = Lessons.workloads().first(where: { $0.name == workload }) {
                try recordFile(file.path, on: &m, to: writer)
            }
            try writer.close()
        }

        /// Replays a memtop trace through a recording runner: what it applied, not its text (ids
        /// become what the file named them; comments go).
        func recordFile(_ path: String, on m: inout Machine, to writer: TextFileWriter) throws {
            var native = NativeTraceReplayer(file: path, kernel: m.configuration.kernel)
            native.runner.startRecording()
            do {
                let source = try LineSource(path: path)
                guard let first = try source.nextLine(), NativeTraceReplayer.isHeader(first) else {
                    throw RunFailure("\(path): expected a memtop trace (\(NativeTraceFormat.header))")
                }
                while let line = try source.nextLine() {
                    try native.apply(line, number: source.lineNumber, to: &m)
                    _ = m.takeEvents()
                    if source.lineNumber % 4096 == 0 { write(native.runner.takeRecorded(), to: writer, kernel: m.configuration.kernel) }
                }
            } catch let error as TraceInputError {
                throw RunFailure(error.description)
            }
            write(native.runner.takeRecorded(), to: writer, kernel: m.configuration.kernel)
        }

        func write(_ ops: [Operation], to writer: TextFileWriter, kernel: KernelVersion) {
            var chunk = ""
            for op in ops { chunk += NativeTraceFormat.line(op, kernel: kernel) + "\n" }
            writer.write(chunk)
        }
    }
}
